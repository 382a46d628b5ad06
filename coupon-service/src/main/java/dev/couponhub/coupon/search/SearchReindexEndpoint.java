package dev.couponhub.coupon.search;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/searchreindex}: queues every coupon for indexing (a full reindex). The indexer re-creates the
 * index with its mapping if it is missing, then writes all documents in batches. Only on the service's own port: the
 * gateway never routes to actuator.
 */
@Component
@Endpoint(id = "searchreindex")
public class SearchReindexEndpoint {

    private static final Logger log = LoggerFactory.getLogger(SearchReindexEndpoint.class);

    private final SearchSync sync;

    SearchReindexEndpoint(SearchSync sync) {
        this.sync = sync;
    }

    @WriteOperation
    public Map<String, Object> reindex() {
        long queued = sync.everything();
        log.info("Full search reindex requested: {} coupons queued", queued);
        return Map.of("queued", queued);
    }
}
