package dev.couponhub.notification.web;

import java.util.List;

import dev.couponhub.kit.web.PageQuery;

/** A page as docs/api.md defines it: {@code {content, page, size, totalElements, totalPages}}. */
public record PageResponse<T>(List<T> content, int page, int size, long totalElements, int totalPages) {

    public static <T> PageResponse<T> of(List<T> content, PageQuery query, long totalElements) {
        int totalPages = (int) ((totalElements + query.size() - 1) / query.size());
        return new PageResponse<>(content, query.page(), query.size(), totalElements, totalPages);
    }
}
