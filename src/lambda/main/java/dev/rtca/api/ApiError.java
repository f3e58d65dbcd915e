package dev.rtca.api;

/** The modelled errors of the two list operations, by the name SDKs read from {@code X-Amzn-ErrorType}. */
enum ApiError {
    INVALID_REQUEST("InvalidRequestException", 400),
    ACCESS_DENIED("AccessDeniedException", 403),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 404),
    OUTPUT_TYPE_NOT_FOUND("OutputTypeNotFoundException", 404),
    THROTTLING("ThrottlingException", 429),
    INTERNAL("InternalServiceException", 500);

    final String type;
    final int status;

    ApiError(String type, int status) {
        this.type = type;
        this.status = status;
    }
}
