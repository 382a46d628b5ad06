package dev.couponhub.coupon.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import dev.couponhub.coupon.config.SearchProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The coupon index in Elasticsearch: its creation with an explicit mapping, bulk writes and the full-text query.
 * Every call may throw when Elasticsearch cannot be reached; callers decide what that means.
 */
@Component
class CouponIndex {

    static final String[] FIELDS = {"name^3", "storeName^2", "description"};

    private static final Logger log = LoggerFactory.getLogger(CouponIndex.class);

    private final ElasticsearchClient client;
    private final String index;
    /** The text fields hold {@link KoreanAnalysis}'s words: Elasticsearch only splits them at spaces. */
    static final String ANALYZER = "whitespace";

    private final KoreanAnalysis analysis;

    CouponIndex(ElasticsearchClient client, SearchProperties properties, KoreanAnalysis analysis) {
        this.client = client;
        this.index = properties.index();
        this.analysis = analysis;
    }

    String name() {
        return index;
    }

    /**
     * Creates the index with its mapping unless it exists (another instance may create it at the same time); answers
     * whether this call created it.
     */
    boolean ensureExists() throws IOException {
        if (client.indices().exists(request -> request.index(index)).value()) {
            return false;
        }
        try {
            client.indices().create(request -> request.index(index)
                    .mappings(mapping -> mapping.dynamic(DynamicMapping.Strict)
                            .properties("name", property -> property.text(text -> text.analyzer(ANALYZER)))
                            .properties("description", property -> property.text(text -> text.analyzer(ANALYZER)))
                            .properties("storeName", property -> property.text(text -> text.analyzer(ANALYZER)))
                            .properties("storeId", property -> property.long_(number -> number))
                            .properties("category", property -> property.keyword(keyword -> keyword))
                            .properties("createdAt", property -> property.date(date -> date))));
            log.info("Created search index {}", index);
            return true;
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Writes the documents and deletes the documents of coupons that no longer exist, in one bulk request. Each
     * operation carries the request's version (external versioning), so an older write never replaces a newer one.
     * Answers the coupon ids whose operation is done (written, deleted, or superseded by a newer version).
     */
    Set<Long> write(Map<Long, Versioned> documents, Map<Long, Long> deletions) throws IOException {
        if (documents.isEmpty() && deletions.isEmpty()) {
            return Set.of();
        }
        BulkRequest.Builder bulk = new BulkRequest.Builder().index(index);
        documents.forEach((id, versioned) -> bulk.operations(operation -> operation.index(write -> write
                .id(Long.toString(id)).document(versioned.document())
                .version(versioned.version()).versionType(VersionType.External))));
        deletions.forEach((id, version) -> bulk.operations(operation -> operation.delete(delete -> delete
                .id(Long.toString(id)).version(version).versionType(VersionType.External))));
        BulkResponse response = client.bulk(bulk.build());
        Set<Long> done = new HashSet<>();
        for (BulkResponseItem item : response.items()) {
            Long id = Long.valueOf(item.id());
            if (item.error() == null || "version_conflict_engine_exception".equals(item.error().type())
                    || item.status() == 404 && deletions.containsKey(id)) {
                done.add(id);
            } else {
                log.warn("Search index refused the document of coupon {}: {} {}", id, item.error().type(),
                        item.error().reason());
            }
        }
        return done;
    }

    /** One page of matching coupon ids, best match first, and how many match in all. */
    Matches search(String typed, int page, int size) throws IOException {
        // PageQuery keeps (page + 1) * size within 10,000, Elasticsearch's index.max_result_window
        int from = page * size;
        // the documents' words, found the same way; a query of particles or signs only is taken as it is
        String words = analysis.words(typed);
        String text = words.isEmpty() ? typed.toLowerCase(java.util.Locale.ROOT) : words;
        try {
            SearchResponse<Void> response = client.search(search -> search.index(index)
                    .from(from).size(size)
                    .trackTotalHits(total -> total.enabled(true))
                    .source(source -> source.fetch(false))
                    .query(query -> query.bool(bool -> bool
                            .should(should -> should.multiMatch(match -> match.query(text).fields(List.of(FIELDS))
                                    .type(TextQueryType.BestFields).operator(Operator.Or)))
                            .should(should -> should.multiMatch(match -> match.query(text).fields(List.of(FIELDS))
                                    .type(TextQueryType.BoolPrefix).operator(Operator.Or)))
                            .minimumShouldMatch("1")))
                    .sort(sort -> sort.score(score -> score.order(SortOrder.Desc)))
                    .sort(sort -> sort.field(field -> field.field("createdAt").order(SortOrder.Desc))),
                    Void.class);
            List<Long> ids = new ArrayList<>();
            for (Hit<Void> hit : response.hits().hits()) {
                ids.add(Long.valueOf(hit.id()));
            }
            long total = response.hits().total() == null ? ids.size() : response.hits().total().value();
            return new Matches(ids, total);
        } catch (ElasticsearchException e) {
            if ("index_not_found_exception".equals(e.error().type())) {
                return new Matches(List.of(), 0); // nothing indexed yet
            }
            throw e;
        }
    }

    /** A document and the version it is written with. */
    record Versioned(CouponDocument document, long version) {
    }

    /** Matching coupon ids in ranking order, and the total number of matches. */
    record Matches(List<Long> ids, long total) {
    }
}
