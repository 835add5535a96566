package io.lifeboat.common.store.memory;

import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectStoreContractTest;

/** The in-memory store with versions and Object Lock passes the same contract, optional parts included. */
class VersionedInMemoryObjectStoreTest extends ObjectStoreContractTest {
    @Override
    protected ObjectStore newStore() {
        return InMemoryObjectStore.versioned();
    }
}
