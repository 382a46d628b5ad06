package dev.couponhub.user;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignupIT extends UserServiceItSupport {

    private static final String PATH = "/api/v1/auth/signup";

    @Test
    void signupThenCreatedWithUserAndLocation() {
        String email = uniqueEmail("signup");

        ApiClient.Response response = signUp(email, PASSWORD, "Jane", "OWNER");

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.header("Location")).isEqualTo("/api/v1/users/me");
        JsonNode user = response.json();
        assertThat(user.get("id").asLong()).isPositive();
        assertThat(user.get("email").asText()).isEqualTo(email);
        assertThat(user.get("name").asText()).isEqualTo("Jane");
        assertThat(user.get("role").asText()).isEqualTo("OWNER");
        assertThat(Instant.parse(user.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(user.has("password")).isFalse();
        assertThat(user.has("passwordHash")).isFalse();
    }

    @Test
    void signupThenPasswordStoredAsBcryptHashOnly() {
        String email = uniqueEmail("hash");
        long id = signUpShopper(email);

        String hash = jdbc.queryForObject("select password_hash from users where id = ?", String.class, id);

        assertThat(hash).startsWith("$2a$10$").doesNotContain(PASSWORD);
    }

    @Test
    void signupThenEmailTrimmedAndLowerCasedAndNameTrimmed() {
        String email = uniqueEmail("case");

        ApiClient.Response response = signUp("  " + email.toUpperCase() + " ", PASSWORD, "  Jane  ", "SHOPPER");

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().get("email").asText()).isEqualTo(email);
        assertThat(response.json().get("name").asText()).isEqualTo("Jane");
    }

    @Test
    void signupWhenEmailTakenThenConflict() {
        String email = uniqueEmail("dup");
        signUpShopper(email);

        assertProblem(signUp(email, PASSWORD, "Other", "OWNER"), 409, "EMAIL_TAKEN", PATH);
        assertProblem(signUp(email.toUpperCase(), PASSWORD, "Other", "OWNER"), 409, "EMAIL_TAKEN", PATH);
    }

    @Test
    void signupWhenSameEmailConcurrentlyThenExactlyOneCreated() throws Exception {
        String email = uniqueEmail("race");
        List<ApiClient.Response> responses = allAtOnce(8, () -> signUp(email, PASSWORD, "Racer", "SHOPPER"));

        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(responses).filteredOn(r -> r.status() != 201)
                .allSatisfy(r -> assertProblem(r, 409, "EMAIL_TAKEN", PATH));
        assertThat(jdbc.queryForObject("select count(*) from users where email = ?", Integer.class, email))
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "", "a@b@c"})
    void signupWhenEmailInvalidThenValidationFailedOnEmail(String email) {
        JsonNode problem = assertProblem(signUp(email, PASSWORD, "Jane", "SHOPPER"), 400, "VALIDATION_FAILED", PATH);

        assertThat(errorFields(problem)).containsExactly("email");
    }

    @Test
    void signupWhenEmailLongerThan254ThenValidationFailedOnEmail() {
        String email = "a".repeat(64) + "@" + ("b".repeat(60) + ".").repeat(3) + "c".repeat(7) + ".com";

        JsonNode problem = assertProblem(signUp(email, PASSWORD, "Jane", "SHOPPER"), 400, "VALIDATION_FAILED", PATH);

        assertThat(errorFields(problem)).contains("email");
    }

    @Test
    void signupWhenPasswordTooShortOrTooLongThenValidationFailedOnPassword() {
        JsonNode shortOne = assertProblem(signUp(uniqueEmail("pw"), "1234567", "Jane", "SHOPPER"), 400,
                "VALIDATION_FAILED", PATH);
        JsonNode longOne = assertProblem(signUp(uniqueEmail("pw"), "x".repeat(73), "Jane", "SHOPPER"), 400,
                "VALIDATION_FAILED", PATH);

        assertThat(errorFields(shortOne)).containsExactly("password");
        assertThat(errorFields(longOne)).containsOnly("password");
        assertThat(signUp(uniqueEmail("pw"), "x".repeat(72), "Jane", "SHOPPER").status()).isEqualTo(201);
        assertThat(signUp(uniqueEmail("pw"), "12345678", "Jane", "SHOPPER").status()).isEqualTo(201);
    }

    @Test
    void signupWhenNameBlankOrTooLongThenValidationFailedOnName() {
        JsonNode blank = assertProblem(signUp(uniqueEmail("name"), PASSWORD, "   ", "SHOPPER"), 400,
                "VALIDATION_FAILED", PATH);
        JsonNode tooLong = assertProblem(signUp(uniqueEmail("name"), PASSWORD, "n".repeat(51), "SHOPPER"), 400,
                "VALIDATION_FAILED", PATH);

        assertThat(errorFields(blank)).containsExactly("name");
        assertThat(errorFields(tooLong)).containsExactly("name");
        assertThat(signUp(uniqueEmail("name"), PASSWORD, "한".repeat(50), "SHOPPER").status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ADMIN", "SUPERUSER", "shopper"})
    void signupWhenRoleNotShopperOrOwnerThenValidationFailedOnRole(String role) {
        String email = uniqueEmail("role");

        JsonNode problem = assertProblem(signUp(email, PASSWORD, "Jane", role), 400, "VALIDATION_FAILED", PATH);

        assertThat(errorFields(problem)).containsExactly("role");
        assertThat(jdbc.queryForObject("select count(*) from users where email = ?", Integer.class, email)).isZero();
    }

    @Test
    void signupWhenFieldsMissingThenEachNamed() {
        JsonNode problem = assertProblem(api.post(PATH, Map.of()), 400, "VALIDATION_FAILED", PATH);

        assertThat(errorFields(problem)).containsExactlyInAnyOrder("email", "password", "name", "role");
    }

    @Test
    void signupWhenBodyIsNotJsonThenValidationFailed() {
        assertProblem(api.post(PATH, "{\"email\": "), 400, "VALIDATION_FAILED", PATH);
        assertProblem(api.send("POST", PATH, null), 400, "VALIDATION_FAILED", PATH);
    }

    @Test
    void signupWhenUnknownFieldsThenIgnored() {
        Map<String, Object> body = signupBody(uniqueEmail("extra"), PASSWORD, "Jane", "SHOPPER");
        body.put("id", 1);
        body.put("favouriteColour", "green");

        assertThat(api.post(PATH, body).status()).isEqualTo(201);
    }
}
