package dev.couponhub.kit.problem;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.util.ClassUtils;

/** How the servlet and the reactive handler build the same answers. */
final class Problems {

    static final String DEPENDENCY_DETAIL =
            "The service cannot reach one of its data stores right now. Try again shortly.";
    static final String INTERNAL_DETAIL = "The request could not be processed. Try again later.";
    static final Comparator<FieldViolation> BY_FIELD =
            Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message);

    private static final boolean TX_PRESENT = ClassUtils.isPresent(
            "org.springframework.transaction.CannotCreateTransactionException", Problems.class.getClassLoader());
    private static final boolean DAO_PRESENT = ClassUtils.isPresent(
            "org.springframework.dao.DataAccessResourceFailureException", Problems.class.getClassLoader());

    private Problems() {
    }

    /** A problem with every field of docs/api.md set; {@code instance} is left out when the path is not a valid URI. */
    static ProblemDetail problem(HttpStatusCode status, String code, String title, String detail,
                                 @Nullable String path) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(ProblemCode.typeOf(code));
        body.setTitle(title);
        body.setInstance(instance(path));
        body.setProperty("code", code);
        return body;
    }

    static ProblemDetail of(ProblemCode code, String detail, @Nullable String path) {
        return problem(code.status(), code.name(), code.title(), detail, path);
    }

    static ProblemDetail of(ApiException ex, @Nullable String path) {
        ProblemDetail body = of(ex.code(), ex.detail(), path);
        if (!ex.errors().isEmpty() || ex.code() == StandardProblem.VALIDATION_FAILED) {
            body.setProperty("errors", ex.errors());
        }
        return body;
    }

    static ProblemDetail validationFailed(String detail, List<FieldViolation> errors, @Nullable String path) {
        ProblemDetail body = of(StandardProblem.VALIDATION_FAILED, detail, path);
        body.setProperty("errors", errors.stream().sorted(BY_FIELD).toList());
        return body;
    }

    /** The answer: the problem as {@code application/problem+json}, with the headers Spring chose (e.g. {@code Allow}). */
    static ResponseEntity<Object> answer(ProblemDetail body, @Nullable HttpHeaders headers) {
        HttpHeaders merged = new HttpHeaders();
        if (headers != null) {
            merged.addAll(headers);
        }
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, merged, body.getStatus());
    }

    /** A 5xx answer that reveals nothing about the failure. */
    static ProblemDetail internalError(HttpStatusCode status, @Nullable String path) {
        return problem(status, codeFor(status), status.value() == 500 ? StandardProblem.INTERNAL_ERROR.title()
                : reasonOf(status), INTERNAL_DETAIL, path);
    }

    /**
     * A data store that cannot be reached or does not answer in time (a database, Redis), or that dropped the
     * connection under a command. Spring reports that last case as an uncategorized data-access failure (Lettuce's
     * "connection reset by peer" during a restart of Redis; a JPA rollback on a connection the driver closed after its
     * socket time-out) or a failed commit or rollback, told apart from a refused command by the connection failure
     * among its causes: an I/O failure, or a JDBC connection exception (SQLState class 08).
     */
    static boolean isDataStoreOutage(Throwable ex) {
        return (DAO_PRESENT && (ex instanceof DataAccessResourceFailureException || ex instanceof QueryTimeoutException
                || ex instanceof UncategorizedDataAccessException && causedByConnectionFailure(ex)))
                || (TX_PRESENT && (ex instanceof CannotCreateTransactionException
                || ex instanceof TransactionSystemException && causedByConnectionFailure(ex)));
    }

    private static boolean causedByConnectionFailure(Throwable ex) {
        int depth = 0;
        for (Throwable cause = ex.getCause(); cause != null && depth++ < 16; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLTransientConnectionException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLException sql && (sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08") || isClosedPoolConnection(sql))) {
                return true;
            }
        }
        return false;
    }

    /**
     * HikariCP's answer to any call on a connection it already closed (after the driver's socket time-out): no
     * SQLState, only this message. Met as the cause of a failed rollback, which then hides the original failure.
     */
    private static boolean isClosedPoolConnection(SQLException sql) {
        return sql.getSQLState() == null && HIKARI_CLOSED.equals(sql.getMessage());
    }

    private static final String HIKARI_CLOSED = "Connection is closed";

    /** The code of an answer that only has a status, e.g. Spring's own 404, 405 or 415. */
    static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> StandardProblem.VALIDATION_FAILED.name();
            case 401 -> StandardProblem.UNAUTHORIZED.name();
            case 403 -> StandardProblem.FORBIDDEN.name();
            case 404 -> StandardProblem.NOT_FOUND.name();
            case 429 -> "RATE_LIMITED";
            case 500 -> StandardProblem.INTERNAL_ERROR.name();
            case 503 -> StandardProblem.DEPENDENCY_UNAVAILABLE.name();
            default -> {
                HttpStatus known = HttpStatus.resolve(status.value());
                yield known != null ? known.name() : "HTTP_" + status.value();
            }
        };
    }

    static String reasonOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "Error";
    }

    /** What a value of the type must look like, without naming any Java class. */
    static String expectation(@Nullable Class<?> type) {
        if (type != null && type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type != null && WHOLE_NUMBERS.contains(type)) {
            return "must be a whole number";
        }
        if (type == LocalDate.class) {
            return "must be a date (YYYY-MM-DD)";
        }
        return "has the wrong type";
    }

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class);

    /** The body field a Jackson mapping failure points at, e.g. {@code items[2].quantity}, and what it must be. */
    @Nullable
    static FieldViolation violationOf(@Nullable Throwable cause) {
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                    .orElse("");
            Class<?> target = mapping instanceof InvalidFormatException format ? format.getTargetType() : null;
            return new FieldViolation(field, expectation(target));
        }
        return null;
    }

    @Nullable
    private static URI instance(@Nullable String path) {
        if (path == null) {
            return null;
        }
        try {
            return URI.create(path);
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }
}
