package dev.couponhub.ai.web;

import java.util.List;

/** A failure the client can act on; rendered as problem+json with its {@link ProblemCode}. */
public class ApiException extends RuntimeException {

    private final ProblemCode code;
    private final List<FieldViolation> errors;

    public ApiException(ProblemCode code, String detail) {
        this(code, detail, List.of());
    }

    private ApiException(ProblemCode code, String detail, List<FieldViolation> errors) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    /** 400 {@code VALIDATION_FAILED} naming each invalid field. */
    public static ApiException invalid(List<FieldViolation> errors) {
        return new ApiException(ProblemCode.VALIDATION_FAILED, "The request has invalid fields.", errors);
    }

    public ProblemCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldViolation> errors() {
        return errors;
    }
}
