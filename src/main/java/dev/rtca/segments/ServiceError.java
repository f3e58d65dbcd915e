package dev.rtca.segments;

/** The modelled errors of the two list operations; the api package maps each to its wire form. */
public enum ServiceError {
    INVALID_REQUEST,
    ACCESS_DENIED,
    RESOURCE_NOT_FOUND,
    OUTPUT_TYPE_NOT_FOUND,
    THROTTLING,
    INTERNAL
}
