package dev.couponhub.coupon.web;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: {@code content} holds at most {@code size} items, {@code page} is zero-based.
 *
 * @param totalPages 0 when there are no items at all
 */
public record PageResponse<T>(List<T> content, int page, int size, long totalElements, int totalPages) {

    public static <T> PageResponse<T> of(List<T> content, int page, int size, long totalElements) {
        int totalPages = (int) Math.min(Integer.MAX_VALUE, (totalElements + size - 1) / size);
        return new PageResponse<>(List.copyOf(content), page, size, totalElements, totalPages);
    }

    public <R> PageResponse<R> map(Function<? super T, ? extends R> mapper) {
        return new PageResponse<>(content.stream().<R>map(mapper).toList(), page, size, totalElements, totalPages);
    }
}
