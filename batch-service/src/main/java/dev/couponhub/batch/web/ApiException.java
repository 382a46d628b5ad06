package dev.couponhub.batch.web;

import java.util.List;
import java.util.Map;

/**
 * A failure the client can act on, answered as problem+json with its code; {@code errors} ({@code field, message})
 * only for {@code VALIDATION_FAILED}.
 */
public class ApiException extends RuntimeException {

    private final ProblemCode code;
    private final List<Map<String, String>> errors;

    public ApiException(ProblemCode code, String detail) {
        this(code, detail, List.of());
    }

    private ApiException(ProblemCode code, String detail, List<Map<String, String>> errors) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = errors;
    }

    /** 400 {@code VALIDATION_FAILED} for one field. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(ProblemCode.VALIDATION_FAILED, "The request has invalid parameters.",
                List.of(Map.of("field", field, "message", message)));
    }

    public ProblemCode code() {
        return code;
    }

    public List<Map<String, String>> errors() {
        return errors;
    }
}
