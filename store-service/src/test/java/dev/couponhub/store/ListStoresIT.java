package dev.couponhub.store;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ListStoresIT extends StoreServiceItSupport {

    @Test
    void listByNamePartThenNewestFirstIgnoringCase() {
        String token = token();
        long a = createStore(newUserId(), "Alpha " + token, "FOOD").path("id").asLong();
        long b = createStore(newUserId(), "Beta " + token.toUpperCase(), "CAFE").path("id").asLong();
        createStore(newUserId(), "Gamma " + token() , "CAFE");

        JsonNode page = list("q=" + token.toUpperCase());

        assertThat(ids(page)).containsExactly(b, a);
        assertThat(page.path("page").asInt()).isZero();
        assertThat(page.path("size").asInt()).isEqualTo(20);
        assertThat(page.path("totalElements").asLong()).isEqualTo(2);
        assertThat(page.path("totalPages").asInt()).isEqualTo(1);
        assertThat(page.path("content").get(0).path("name").asText()).isEqualTo("Beta " + token.toUpperCase());
    }

    @Test
    void listWithoutIdentityThenAllowed() {
        ApiClient.Response response = api.get(STORES);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("content").isArray()).isTrue();
        assertThat(response.json().path("size").asInt()).isEqualTo(20);
    }

    @Test
    void listByCategoryThenOnlyThatCategory() {
        String token = token();
        createStore(newUserId(), token + " noodles", "FOOD");
        long beauty = createStore(newUserId(), token + " nails", "BEAUTY").path("id").asLong();

        JsonNode page = list("q=" + token + "&category=BEAUTY");

        assertThat(ids(page)).containsExactly(beauty);
        list("category=BEAUTY").path("content")
                .forEach(store -> assertThat(store.path("category").asText()).isEqualTo("BEAUTY"));
    }

    @Test
    void listWithLikeWildcardsThenMatchedLiterally() {
        String token = token();
        long percent = createStore(newUserId(), token + " 100% Juice", "FOOD").path("id").asLong();
        createStore(newUserId(), token + " 1000 Juice", "FOOD");
        long underscore = createStore(newUserId(), token + " a_b", "FOOD").path("id").asLong();
        createStore(newUserId(), token + " axb", "FOOD");
        long bang = createStore(newUserId(), token + " wow!", "FOOD").path("id").asLong();

        assertThat(ids(list("q=" + encode(token + " 100%")))).containsExactly(percent);
        assertThat(ids(list("q=" + encode(token + " a_b")))).containsExactly(underscore);
        assertThat(ids(list("q=" + encode(token + " wow!")))).containsExactly(bang);
        assertThat(ids(list("q=" + encode("%" + token)))).isEmpty();
    }

    @Test
    void listByKoreanNamePartThenFound() {
        String token = token();
        long store = createStore(newUserId(), "한강 카페 " + token, "CAFE").path("id").asLong();

        assertThat(ids(list("q=" + encode("카페 " + token)))).containsExactly(store);
    }

    @Test
    void listInPagesThenTotalsAndNoOverlap() {
        String token = token();
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createStore(newUserId(), token + " shop " + i, "LIFESTYLE").path("id").asLong());
        }

        JsonNode first = list("q=" + token + "&page=0&size=2");
        JsonNode second = list("q=" + token + "&page=1&size=2");
        JsonNode third = list("q=" + token + "&page=2&size=2");
        JsonNode beyond = list("q=" + token + "&page=3&size=2");

        assertThat(ids(first)).containsExactly(created.get(4), created.get(3));
        assertThat(ids(second)).containsExactly(created.get(2), created.get(1));
        assertThat(ids(third)).containsExactly(created.get(0));
        assertThat(ids(beyond)).isEmpty();
        for (JsonNode page : List.of(first, second, third, beyond)) {
            assertThat(page.path("size").asInt()).isEqualTo(2);
            assertThat(page.path("totalElements").asLong()).isEqualTo(5);
            assertThat(page.path("totalPages").asInt()).isEqualTo(3);
        }
        assertThat(beyond.path("page").asInt()).isEqualTo(3);
    }

    @Test
    void listWhenNothingMatchesThenEmptyPage() {
        JsonNode page = list("q=" + token());

        assertThat(ids(page)).isEmpty();
        assertThat(page.path("totalElements").asLong()).isZero();
        assertThat(page.path("totalPages").asInt()).isZero();
    }

    @Test
    void listWithSize100ThenAllowed() {
        assertThat(api.get(STORES + "?size=100").status()).isEqualTo(200);
        assertThat(api.get(STORES + "?size=1").json().path("content").size()).isLessThanOrEqualTo(1);
    }

    @Test
    void listWithSizeOutOfRangeThenValidationFailedNamingSize() {
        for (String size : List.of("0", "101", "-1", "abc")) {
            String path = STORES + "?size=" + size;
            JsonNode problem = assertProblem(api.get(path), 400, "VALIDATION_FAILED", STORES);
            assertThat(errorFields(problem)).as(size).containsExactly("size");
        }
    }

    @Test
    void listWithNegativeOrNonNumericPageThenValidationFailedNamingPage() {
        assertThat(errorFields(assertProblem(api.get(STORES + "?page=-1"), 400, "VALIDATION_FAILED", STORES)))
                .containsExactly("page");
        assertThat(errorFields(assertProblem(api.get(STORES + "?page=x"), 400, "VALIDATION_FAILED", STORES)))
                .containsExactly("page");
    }

    @Test
    void listPastTheFirstTenThousandStoresThenValidationFailedNamingPage() {
        assertThat(api.get(STORES + "?page=99&size=100").status()).isEqualTo(200);
        for (String deep : List.of("?page=100&size=100", "?page=500", "?page=2147483647")) {
            assertThat(errorFields(assertProblem(api.get(STORES + deep), 400, "VALIDATION_FAILED", STORES)))
                    .as(deep).containsExactly("page");
        }
    }

    @Test
    void listWithUnknownCategoryThenValidationFailedNamingCategory() {
        JsonNode problem = assertProblem(api.get(STORES + "?category=SHOES"), 400, "VALIDATION_FAILED", STORES);

        assertThat(errorFields(problem)).containsExactly("category");
        assertThat(problem.path("errors").get(0).path("message").asText()).contains("FOOD").contains("OTHER");
    }

    @Test
    void listWithTooLongQueryThenValidationFailedNamingQ() {
        JsonNode problem = assertProblem(api.get(STORES + "?q=" + "x".repeat(101)), 400, "VALIDATION_FAILED", STORES);

        assertThat(errorFields(problem)).containsExactly("q");
    }

    @Test
    void listNeverShowsDeletedStores() {
        String token = token();
        long ownerId = newUserId();
        long kept = createStore(ownerId, token + " kept", "FASHION").path("id").asLong();
        long deleted = createStore(ownerId, token + " deleted", "FASHION").path("id").asLong();
        assertThat(api.delete(STORES + "/" + deleted, owner(ownerId)).status()).isEqualTo(204);

        JsonNode page = list("q=" + token);

        assertThat(ids(page)).containsExactly(kept);
        assertThat(page.path("totalElements").asLong()).isEqualTo(1);
    }

    private JsonNode list(String query) {
        ApiClient.Response response = api.get(STORES + "?" + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("content").forEach(store -> ids.add(store.path("id").asLong()));
        return ids;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
