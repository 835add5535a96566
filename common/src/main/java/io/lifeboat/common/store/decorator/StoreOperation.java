package io.lifeboat.common.store.decorator;

/** The operations of the object-store port, as decorators name them in metrics and faults. */
public enum StoreOperation {
    PUT,
    GET,
    GET_RANGE,
    OPEN,
    STAT,
    LIST,
    DELETE
}
