package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.coupon.config.SearchProperties;
import dev.couponhub.coupon.store.StoreEventHandler;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Full-text search against a real Elasticsearch: indexing after changes, ranking, Korean words, failures. */
class SearchIT extends CouponServiceItSupport {

    private static final String SEARCH = COUPONS + "/search";
    private static final Duration SEARCHABLE_WITHIN = Duration.ofSeconds(15);

    @Autowired
    ElasticsearchClient elasticsearch;

    @Autowired
    SearchProperties searchProperties;

    @Autowired
    StoreEventHandler storeEvents;

    /** A word no other coupon contains (letters only, so the analyzer keeps it as one token). */
    private static String uniqueWord() {
        StringBuilder word = new StringBuilder("w");
        for (char c : UUID.randomUUID().toString().replace("-", "").substring(0, 12).toCharArray()) {
            word.append((char) ('a' + Character.digit(c, 16)));
        }
        return word.toString();
    }

    private ApiClient.Response search(String q, String... params) {
        StringBuilder query = new StringBuilder(SEARCH + "?q=" + java.net.URLEncoder.encode(q,
                java.nio.charset.StandardCharsets.UTF_8));
        for (String param : params) {
            query.append('&').append(param);
        }
        return api.get(query.toString());
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("content").forEach(coupon -> ids.add(coupon.path("id").asLong()));
        return ids;
    }

    /** Polls the search until its answer satisfies {@code done}; answers that page. */
    private JsonNode awaitSearch(String q, Predicate<JsonNode> done, String... params) throws InterruptedException {
        long deadline = System.nanoTime() + SEARCHABLE_WITHIN.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            ApiClient.Response response = search(q, params);
            if (response.status() == 200) {
                last = response.json();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("search for '" + q + "' never satisfied the condition; last answer: " + last);
    }

    private JsonNode awaitFound(String q, long couponId) throws InterruptedException {
        return awaitSearch(q, page -> ids(page).contains(couponId), "size=100");
    }

    private long publishCoupon(long[] store, String name, String description) {
        Map<String, Object> body = couponBody(store[1], name, 10);
        body.put("description", description);
        return publish(store[0], body).path("id").asLong();
    }

    @Test
    void publishThenSearchableByAnEnglishWordOrItsPrefixWithTheCouponAsBrowsed() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("FOOD");
        long couponId = publishCoupon(store, "Burger " + word + " deal", "Two for one");

        JsonNode page = awaitFound(word, couponId);
        assertThat(page.path("totalElements").asLong()).isEqualTo(1);
        assertThat(page.path("page").asInt()).isZero();
        assertThat(page.path("size").asInt()).isEqualTo(100);
        assertThat(page.path("totalPages").asInt()).isEqualTo(1);
        JsonNode found = page.path("content").get(0);
        JsonNode browsed = api.get(COUPONS + "/" + couponId).json();
        assertThat(found).isEqualTo(browsed); // the same Coupon JSON as the browse and read endpoints

        assertThat(ids(search(word.substring(0, 7)).json())).contains(couponId); // a prefix of the word
        assertThat(ids(search(word.toUpperCase(java.util.Locale.ROOT)).json())).contains(couponId);
    }

    @Test
    void renamedByItsOwnerThenFoundByTheNewNameAndNoLongerByTheOld() throws Exception {
        String before = uniqueWord();
        String after = uniqueWord();
        long[] store = newStore("FOOD");
        long couponId = publishCoupon(store, "Pizza " + before, "Family size");
        awaitFound(before, couponId);

        ApiClient.Response renamed = api.patch(COUPONS + "/" + couponId, Map.of("name", "Pizza " + after),
                owner(store[0]));

        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(awaitFound(after, couponId).path("content").get(0).path("name").asText())
                .isEqualTo("Pizza " + after);
        assertThat(ids(search(before).json())).doesNotContain(couponId);
    }

    @Test
    void koreanWordsOfTheNameAndTheStoreNameAreFound() throws Exception {
        String marker = uniqueWord();
        long ownerId = newUserId();
        long storeId = stores.addStore(ownerId, "역삼 베이커리 " + marker, "CAFE");
        long couponId = publishCoupon(new long[] {ownerId, storeId}, "강남 카페 아메리카노 할인", "아침 한정 " + marker);

        awaitFound(marker, couponId);
        assertThat(ids(awaitFound("카페", couponId))).contains(couponId);
        assertThat(ids(awaitFound("아메리카노", couponId))).contains(couponId);
        assertThat(ids(awaitFound("베이커리", couponId))).contains(couponId); // a word of the store's name
        assertThat(ids(awaitFound("아메리", couponId))).contains(couponId); // a prefix of a word
    }

    @Test
    void koreanWordWithAParticleThenFindsTheWordAndTheWordFindsTextWithParticles() throws Exception {
        String marker = uniqueWord();
        long[] store = newStore("CAFE");
        long couponId = publishCoupon(store, "역삼 카페 라떼 " + marker, "출근길에 커피를 드세요");

        awaitFound(marker, couponId);
        // what shoppers type: the word with a particle; the coupon has the bare word
        assertThat(ids(search("카페에서", "size=100").json())).contains(couponId);
        assertThat(ids(search("라떼를", "size=100").json())).contains(couponId);
        // and the other way round: the description has "커피를", the shopper types "커피"
        assertThat(ids(search("커피", "size=100").json())).contains(couponId);
        assertThat(ids(search("출근길", "size=100").json())).contains(couponId);
    }

    @Test
    void koreanCompoundThenFoundByEachOfItsWords() throws Exception {
        String marker = uniqueWord();
        long[] store = newStore("CAFE");
        long couponId = publishCoupon(store, "아메리카노할인 쿠폰 " + marker, "매장 전용");

        awaitFound(marker, couponId);
        assertThat(ids(search("아메리카노", "size=100").json())).contains(couponId);
        assertThat(ids(search("할인", "size=100").json())).contains(couponId);
        assertThat(ids(search("아메리카노할인", "size=100").json())).contains(couponId);
    }

    @Test
    void koreanEnglishAndNumbersMixedThenEachFinds() throws Exception {
        String marker = uniqueWord();
        long[] store = newStore("CAFE");
        String number = Long.toString(100_000 + Math.abs(UUID.randomUUID().getMostSignificantBits() % 900_000));
        long couponId = publishCoupon(store, "스타벅스 Americano " + number + "+1 " + marker, "50%할인 Cold Brew");

        awaitFound(marker, couponId);
        assertThat(ids(search("americano 스타벅스", "size=100").json())).contains(couponId);
        assertThat(ids(search("스타벅스에서", "size=100").json())).contains(couponId);
        assertThat(ids(search("COLD brew", "size=100").json())).contains(couponId);
        assertThat(ids(search(number, "size=100").json())).contains(couponId);
        assertThat(ids(search(marker.toUpperCase(java.util.Locale.ROOT), "size=100").json())).contains(couponId);
    }

    @Test
    void koreanWordInTheNameThenRankedAboveTheSameWordInTheDescription() throws Exception {
        String marker = uniqueWord();
        long[] store = newStore("CAFE");
        long inDescription = publishCoupon(store, "라떼 " + marker, "아이스크림할인 행사 중");
        long inName = publishCoupon(store, "아이스크림할인 " + marker, "매장 전용");

        JsonNode page = awaitSearch("아이스크림 " + marker, found -> ids(found).containsAll(List.of(inName,
                inDescription)), "size=100");
        List<Long> ranked = ids(page);
        assertThat(ranked.indexOf(inName)).as("name match first: %s", ranked).isLessThan(ranked.indexOf(inDescription));
    }

    @Test
    void nameMatchRanksAboveDescriptionOnlyMatch() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("CAFE");
        long inDescription = publishCoupon(store, "Latte special", "Ask for the " + word + " blend");
        long inName = publishCoupon(store, word + " espresso", "Strong coffee");

        JsonNode page = awaitSearch(word, found -> ids(found).size() == 2);
        assertThat(ids(page)).containsExactly(inName, inDescription);
    }

    @Test
    void pagesSplitTheMatchesWithoutOverlap() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("BEAUTY");
        Set<Long> published = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            published.add(publishCoupon(store, "Nail care " + word + " " + i, "Salon visit"));
        }
        awaitSearch(word, page -> page.path("totalElements").asLong() == 5);

        List<Long> seen = new ArrayList<>();
        for (int pageNo = 0; pageNo < 3; pageNo++) {
            JsonNode page = search(word, "page=" + pageNo, "size=2").json();
            assertThat(page.path("page").asInt()).isEqualTo(pageNo);
            assertThat(page.path("size").asInt()).isEqualTo(2);
            assertThat(page.path("totalElements").asLong()).isEqualTo(5);
            assertThat(page.path("totalPages").asInt()).isEqualTo(3);
            assertThat(page.path("content").size()).isEqualTo(pageNo < 2 ? 2 : 1);
            seen.addAll(ids(page));
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(published);
        assertThat(search(word, "page=3", "size=2").json().path("content").size()).isZero();
    }

    @Test
    void searchWhenQueryOrPagingInvalidThenValidationFailed() {
        assertThat(errorFields(assertProblem(api.get(SEARCH), 400, "VALIDATION_FAILED", SEARCH))).containsExactly("q");
        assertThat(errorFields(assertProblem(search("   "), 400, "VALIDATION_FAILED", SEARCH))).containsExactly("q");
        assertThat(errorFields(assertProblem(search("x".repeat(101)), 400, "VALIDATION_FAILED", SEARCH)))
                .containsExactly("q");
        assertThat(search("  " + "x".repeat(100) + "  ").status()).isEqualTo(200); // trimmed first
        assertThat(errorFields(assertProblem(search("coffee", "size=0"), 400, "VALIDATION_FAILED", SEARCH)))
                .contains("size");
        assertThat(errorFields(assertProblem(search("coffee", "size=101"), 400, "VALIDATION_FAILED", SEARCH)))
                .contains("size");
        assertThat(errorFields(assertProblem(search("coffee", "page=-1"), 400, "VALIDATION_FAILED", SEARCH)))
                .contains("page");
        assertThat(errorFields(assertProblem(search("coffee", "page=100&size=100"), 400, "VALIDATION_FAILED",
                SEARCH))).containsExactly("page");
    }

    @Test
    void storeRenamedThenCouponsFoundByTheNewStoreName() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("FOOD");
        long couponId = publishCoupon(store, "Noodle bowl", "Hot soup");
        awaitSearch("Noodle bowl", page -> ids(page).contains(couponId), "size=100");
        assertThat(ids(search(word).json())).isEmpty();

        String message = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"STORE_UPDATED\","
                + "\"occurredAt\":\"2026-11-21T09:00:00Z\",\"payload\":{\"storeId\":" + store[1] + ",\"ownerId\":"
                + store[0] + ",\"name\":\"Golden " + word + " Kitchen\",\"category\":\"FOOD\"}}";
        assertThat(storeEvents.handle(message)).isTrue();

        JsonNode page = awaitFound(word, couponId);
        assertThat(page.path("content").get(0).path("storeName").asText()).isEqualTo("Golden " + word + " Kitchen");
    }

    @Test
    void endedCouponStillFoundWithItsCurrentStatus() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("LIFESTYLE");
        long couponId = publishCoupon(store, "Candle " + word, "Scented");
        JsonNode before = awaitFound(word, couponId);
        assertThat(before.path("content").get(0).path("status").asText()).isEqualTo("ACTIVE");

        assertThat(api.post(COUPONS + "/" + couponId + "/end", null, owner(store[0])).status()).isEqualTo(200);
        long user = newUserId();

        JsonNode after = search(word).json();
        assertThat(ids(after)).containsExactly(couponId);
        assertThat(after.path("content").get(0).path("status").asText()).isEqualTo("ENDED");
        assertThat(claim(couponId, user).status()).isEqualTo(422);
    }

    @Test
    void claimsShowInSearchResultsAtOnceWithoutReindexing() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("FASHION");
        long couponId = publishCoupon(store, "Scarf " + word, "Wool");
        awaitFound(word, couponId);

        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);

        JsonNode coupon = search(word).json().path("content").get(0);
        assertThat(coupon.path("issuedQuantity").asLong()).isEqualTo(1);
        assertThat(coupon.path("remainingQuantity").asLong()).isEqualTo(9);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM search_sync WHERE coupon_id = ?", Long.class, couponId))
                .isZero(); // a claim never asks for indexing
    }

    @Test
    void publishWhileElasticsearchDownThenPublishedAndSearchableOnceItIsBack() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("ENTERTAINMENT");
        long couponId;
        ELASTICSEARCH.stop();
        try {
            long started = System.nanoTime();
            couponId = publishCoupon(store, "Cinema " + word, "Two tickets");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            long id = couponId;
            assertThat(api.get(COUPONS + "?q=" + word).json().path("content").get(0).path("id").asLong())
                    .isEqualTo(id); // browsing does not need Elasticsearch
            Thread.sleep(1_000); // the indexer fails at least once and backs off
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM search_sync WHERE coupon_id = ?", Long.class,
                    couponId)).isEqualTo(1);
        } finally {
            ELASTICSEARCH.start();
        }
        awaitFound(word, couponId);
    }

    @Test
    void searchWhileElasticsearchDownThenDependencyUnavailableFast() throws Exception {
        ELASTICSEARCH.stop();
        try {
            long started = System.nanoTime();
            ApiClient.Response response = search("coffee");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertProblem(response, 503, "DEPENDENCY_UNAVAILABLE", SEARCH);
        } finally {
            ELASTICSEARCH.start();
        }
        awaitSearch("coffee", page -> true); // answers again once it is back
    }

    @Test
    void reindexEndpointRebuildsADeletedIndexWithItsMapping() throws Exception {
        String word = uniqueWord();
        long[] store = newStore("OTHER");
        long couponId = publishCoupon(store, "Gift card " + word, "Any amount");
        awaitFound(word, couponId);

        String index = searchProperties.index();
        elasticsearch.indices().delete(request -> request.index(index));
        assertThat(ids(search(word).json())).doesNotContain(couponId);

        ApiClient.Response reindex = api.send("POST", "/actuator/searchreindex", null);
        assertThat(reindex.status()).as(reindex.toString()).isEqualTo(200);
        assertThat(reindex.json().path("queued").asLong()).isPositive();

        awaitFound(word, couponId);
        Map<String, Property> mapping = elasticsearch.indices().getMapping(request -> request.index(index))
                .get(index).mappings().properties();
        assertThat(mapping.get("name").isText()).isTrue();
        // the words come analysed from coupon-service (KoreanAnalysis): the index only splits them at spaces
        assertThat(mapping.get("name").text().analyzer()).isEqualTo("whitespace");
        assertThat(mapping.get("storeName").isText()).isTrue();
        assertThat(mapping.get("description").isText()).isTrue();
        assertThat(mapping.get("storeId").isLong()).isTrue();
        assertThat(mapping.get("category").isKeyword()).isTrue();
        assertThat(mapping.get("createdAt").isDate()).isTrue();
    }
}
