package dev.couponhub.store.store;

import java.util.List;
import java.util.Locale;

import com.querydsl.core.BooleanBuilder;
import com.querydsl.jpa.impl.JPAQueryFactory;
import dev.couponhub.kit.web.PageQuery;
import dev.couponhub.store.web.PageResponse;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/** The list queries over active stores (QueryDSL), newest first. */
@Component
class StoreSearch {

    static final char LIKE_ESCAPE = '!';

    private static final QStore store = QStore.store;

    private final JPAQueryFactory queries;

    StoreSearch(JPAQueryFactory queries) {
        this.queries = queries;
    }

    /**
     * Active stores matching every given criterion.
     *
     * @param q        case-insensitive substring of the name; null or blank for any name
     * @param category null for any category
     * @param ownerId  null for any owner
     */
    PageResponse<Store> find(@Nullable String q, @Nullable Category category, @Nullable Long ownerId, int page,
                             int size) {
        BooleanBuilder where = new BooleanBuilder(store.status.eq(StoreStatus.ACTIVE));
        if (category != null) {
            where.and(store.category.eq(category));
        }
        if (ownerId != null) {
            where.and(store.ownerId.eq(ownerId));
        }
        if (q != null && !q.isBlank()) {
            where.and(store.name.lower().like(containsPattern(q.strip()), LIKE_ESCAPE));
        }
        long offset = (long) page * size;
        List<Store> content = queries.selectFrom(store)
                .where(where)
                .orderBy(store.id.desc())
                .offset(offset)
                .limit(size)
                .fetch();
        long total = PageQuery.total(offset, size, content.size(),
                () -> queries.select(store.count()).from(store).where(where).fetchOne());
        return PageResponse.of(content, page, size, total);
    }

    /** A LIKE pattern (escape character {@value #LIKE_ESCAPE}) matching names that contain the text, in lower case. */
    static String containsPattern(String text) {
        StringBuilder pattern = new StringBuilder(text.length() + 8).append('%');
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                pattern.append(LIKE_ESCAPE);
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }
}
