package dev.couponhub.kit.problem;

import java.util.List;

/** A failure the client can act on; rendered as problem+json with its {@link ProblemCode}. No stack trace is kept. */
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
        return new ApiException(StandardProblem.VALIDATION_FAILED, "The request has invalid fields.", errors);
    }

    /** 400 {@code VALIDATION_FAILED} naming one invalid field. */
    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldViolation(field, message)));
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
