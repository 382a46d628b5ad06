package dev.couponhub.kit.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.FieldViolation;

/**
 * {@code ?page=0&size=20} as API.md's "pages" convention has it: zero-based page, size 1..100 (default 20), and no page
 * past the first {@value #MAX_WINDOW} items ({@code (page + 1) * size} at most that). Invalid values are 400
 * {@code VALIDATION_FAILED} naming the field. The window keeps a request from making the database count past millions
 * of rows for an {@code OFFSET} ({@code ?page=2147483647}); deeper data is exported, not paged.
 */
public record PageQuery(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    /** The most items any page may reach into. */
    public static final int MAX_WINDOW = 10_000;
    /** The {@code page} parameter's description in the API descriptions. */
    public static final String PAGE_DESCRIPTION =
            "zero-based page number; (page + 1) * size at most 10,000";

    /** Validates the raw query values (null means the default). */
    public static PageQuery of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        List<FieldViolation> errors = new ArrayList<>();
        if (p < 0) {
            errors.add(new FieldViolation("page", "must be 0 or greater"));
        }
        if (s < 1 || s > MAX_SIZE) {
            errors.add(new FieldViolation("size", "must be between 1 and " + MAX_SIZE));
        }
        if (errors.isEmpty() && ((long) p + 1) * s > MAX_WINDOW) {
            errors.add(new FieldViolation("page", "(page + 1) * size must not exceed " + MAX_WINDOW
                    + "; at size " + s + " the last page is " + (MAX_WINDOW / s - 1)));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new PageQuery(p, s);
    }

    /**
     * The total number of items behind a page that fetched {@code fetched} of at most {@code size} items from
     * {@code offset}: known without counting when this page is the last one (it came back short and not empty, or the
     * first page is empty); otherwise {@code count} is asked (a null count is 0).
     */
    public static long total(long offset, int size, int fetched, Supplier<Long> count) {
        if (fetched > 0 && fetched < size || offset == 0 && fetched == 0) {
            return offset + fetched;
        }
        Long counted = count.get();
        return counted == null ? 0 : counted;
    }

    public long offset() {
        return (long) page * size;
    }
}
