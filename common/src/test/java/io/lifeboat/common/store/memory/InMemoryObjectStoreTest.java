package io.lifeboat.common.store.memory;

import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectStoreContractTest;

class InMemoryObjectStoreTest extends ObjectStoreContractTest {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}
