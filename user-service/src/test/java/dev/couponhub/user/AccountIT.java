package dev.couponhub.user;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class AccountIT extends UserServiceItSupport {

    private static final String ME = "/api/v1/users/me";
    private static final String PASSWORD_PATH = "/api/v1/users/me/password";

    @Test
    void meThenTheCallersAccount() {
        String email = uniqueEmail("me");
        long id = signUpShopper(email);

        ApiClient.Response response = api.get(ME, as(id));

        assertThat(response.status()).isEqualTo(200);
        JsonNode user = response.json();
        assertThat(user.get("id").asLong()).isEqualTo(id);
        assertThat(user.get("email").asText()).isEqualTo(email);
        assertThat(user.get("name").asText()).isEqualTo("Shopper");
        assertThat(user.get("role").asText()).isEqualTo("SHOPPER");
        assertThat(user.get("createdAt").asText()).isNotBlank();
    }

    @Test
    void meWithoutUserIdHeaderThenUnauthorized() {
        assertProblem(api.get(ME), 401, "UNAUTHORIZED", ME);
        assertProblem(api.patch(ME, Map.of("name", "x")), 401, "UNAUTHORIZED", ME);
        assertProblem(api.delete(ME), 401, "UNAUTHORIZED", ME);
        assertProblem(api.put(PASSWORD_PATH, Map.of("currentPassword", PASSWORD, "newPassword", "new-password-1")),
                401, "UNAUTHORIZED", PASSWORD_PATH);
    }

    @Test
    void meWithInvalidUserIdHeaderThenUnauthorized() {
        assertProblem(api.get(ME, "X-User-Id", "abc"), 401, "UNAUTHORIZED", ME);
        assertProblem(api.get(ME, "X-User-Id", "-3"), 401, "UNAUTHORIZED", ME);
    }

    @Test
    void meForUnknownAccountThenUnauthorized() {
        assertProblem(api.get(ME, as(Long.MAX_VALUE)), 401, "UNAUTHORIZED", ME);
    }

    @Test
    void patchNameThenRenamedAndReadBack() {
        long id = signUpShopper(uniqueEmail("rename"));

        ApiClient.Response response = api.patch(ME, Map.of("name", "  New Name "), as(id));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("name").asText()).isEqualTo("New Name");
        assertThat(api.get(ME, as(id)).json().get("name").asText()).isEqualTo("New Name");
    }

    @Test
    void patchWithoutNameThenUnchanged() {
        long id = signUpShopper(uniqueEmail("noop"));

        ApiClient.Response response = api.patch(ME, Map.of(), as(id));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("name").asText()).isEqualTo("Shopper");
    }

    @Test
    void patchWithBlankOrTooLongNameThenValidationFailed() {
        long id = signUpShopper(uniqueEmail("badname"));

        JsonNode blank = assertProblem(api.patch(ME, Map.of("name", "  "), as(id)), 400, "VALIDATION_FAILED", ME);
        JsonNode tooLong = assertProblem(api.patch(ME, Map.of("name", "n".repeat(51)), as(id)), 400,
                "VALIDATION_FAILED", ME);

        assertThat(errorFields(blank)).containsExactly("name");
        assertThat(errorFields(tooLong)).containsExactly("name");
        assertThat(api.get(ME, as(id)).json().get("name").asText()).isEqualTo("Shopper");
    }

    @Test
    void changePasswordWhenCurrentIsWrongThenWrongPasswordAndNothingChanges() {
        String email = uniqueEmail("wrongcurrent");
        long id = signUpShopper(email);
        String refreshToken = loggedIn(email, PASSWORD).get("refreshToken").asText();

        assertProblem(api.put(PASSWORD_PATH, Map.of("currentPassword", "not-it-at-all", "newPassword", "new-password-1"),
                as(id)), 400, "WRONG_PASSWORD", PASSWORD_PATH);

        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        assertThat(refresh(refreshToken).status()).isEqualTo(200);
    }

    @Test
    void changePasswordWhenNewTooShortThenValidationFailed() {
        long id = signUpShopper(uniqueEmail("shortnew"));

        JsonNode problem = assertProblem(api.put(PASSWORD_PATH, Map.of("currentPassword", PASSWORD, "newPassword", "short"),
                as(id)), 400, "VALIDATION_FAILED", PASSWORD_PATH);

        assertThat(errorFields(problem)).containsExactly("newPassword");
    }

    @Test
    void changePasswordThenEveryRefreshTokenRevokedNewPasswordLogsInOldFails() {
        String email = uniqueEmail("changepw");
        long id = signUpShopper(email);
        String sessionA = loggedIn(email, PASSWORD).get("refreshToken").asText();
        String sessionB = loggedIn(email, PASSWORD).get("refreshToken").asText();

        ApiClient.Response response = api.put(PASSWORD_PATH,
                Map.of("currentPassword", PASSWORD, "newPassword", "brand-new-password"), as(id));

        assertThat(response.status()).as(response.toString()).isEqualTo(204);
        assertProblem(refresh(sessionA), 401, "INVALID_REFRESH_TOKEN", "/api/v1/auth/refresh");
        assertProblem(refresh(sessionB), 401, "INVALID_REFRESH_TOKEN", "/api/v1/auth/refresh");
        assertThat(jdbc.queryForObject("select count(*) from refresh_tokens where user_id = ? and revoked_at is null",
                Integer.class, id)).isZero();
        assertProblem(login(email, PASSWORD), 401, "BAD_CREDENTIALS", "/api/v1/auth/login");
        assertThat(login(email, "brand-new-password").status()).isEqualTo(200);
    }

    @Test
    void closeThenLoginRefreshAndMeFailAndTheEmailCanSignUpAgain() {
        String email = uniqueEmail("close");
        long id = signUpShopper(email);
        String refreshToken = loggedIn(email, PASSWORD).get("refreshToken").asText();

        ApiClient.Response response = api.delete(ME, as(id));

        assertThat(response.status()).isEqualTo(204);
        assertProblem(login(email, PASSWORD), 401, "BAD_CREDENTIALS", "/api/v1/auth/login");
        assertProblem(refresh(refreshToken), 401, "INVALID_REFRESH_TOKEN", "/api/v1/auth/refresh");
        assertProblem(api.get(ME, as(id)), 401, "UNAUTHORIZED", ME);
        assertProblem(api.delete(ME, as(id)), 401, "UNAUTHORIZED", ME);
        Map<String, Object> row = new HashMap<>(jdbc.queryForMap(
                "select email, active_email, closed_at from users where id = ?", id));
        assertThat(row.get("email")).isEqualTo(email);
        assertThat(row.get("active_email")).isNull();
        assertThat(row.get("closed_at")).isNotNull();

        ApiClient.Response again = signUp(email, "another-password", "Again", "OWNER");

        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json().get("id").asLong()).isNotEqualTo(id);
        assertThat(login(email, "another-password").status()).isEqualTo(200);
        assertProblem(api.get(ME, as(id)), 401, "UNAUTHORIZED", ME);
    }
}
