package dev.couponhub.coupon.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;

/** The stable error codes this service answers with (see API.md), each with its HTTP status and title. */
public enum ProblemCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
    NOT_STORE_OWNER(HttpStatus.FORBIDDEN, "Not the store's owner"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    STORE_NOT_FOUND(HttpStatus.NOT_FOUND, "Store not found"),
    COUPON_NOT_FOUND(HttpStatus.NOT_FOUND, "Coupon not found"),
    ISSUED_COUPON_NOT_FOUND(HttpStatus.NOT_FOUND, "Issued coupon not found"),
    SOLD_OUT(HttpStatus.CONFLICT, "Sold out"),
    CLAIM_LIMIT_REACHED(HttpStatus.CONFLICT, "Claim limit reached"),
    CLAIM_WINDOW_CLOSED(HttpStatus.UNPROCESSABLE_ENTITY, "Claim window closed"),
    ALREADY_REDEEMED(HttpStatus.CONFLICT, "Already redeemed"),
    NOT_REDEEMED(HttpStatus.CONFLICT, "Not redeemed"),
    ORDER_MISMATCH(HttpStatus.CONFLICT, "Order mismatch"),
    COUPON_EXPIRED(HttpStatus.UNPROCESSABLE_ENTITY, "Coupon expired"),
    MIN_ORDER_NOT_MET(HttpStatus.UNPROCESSABLE_ENTITY, "Minimum order not met"),
    CONCURRENT_MODIFICATION(HttpStatus.CONFLICT, "Concurrent modification"),
    DEPENDENCY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Dependency unavailable"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private static final String TYPE_BASE = "https://couponhub.dev/problems/";

    private final HttpStatus status;
    private final String title;

    ProblemCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** {@code STORE_NOT_FOUND} gives {@code https://couponhub.dev/problems/store-not-found}. */
    public static URI typeOf(String code) {
        return URI.create(TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}
