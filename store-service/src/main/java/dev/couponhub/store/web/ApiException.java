package dev.couponhub.store.web;

/** A failure the client can act on; rendered as problem+json with its {@link ProblemCode}. */
public class ApiException extends RuntimeException {

    private final ProblemCode code;

    public ApiException(ProblemCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ProblemCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
