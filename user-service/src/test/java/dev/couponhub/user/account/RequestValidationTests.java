package dev.couponhub.user.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidationTests {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    private static Set<String> invalidFields(Object request) {
        return VALIDATOR.validate(request).stream()
                .map(ConstraintViolation::getPropertyPath).map(Object::toString).collect(Collectors.toSet());
    }

    private static SignupRequest signup(String email, String password, String name, String role) {
        return new SignupRequest(email, password, name, role);
    }

    @Test
    void signupWhenValidThenNoViolation() {
        assertThat(invalidFields(signup("jane@example.com", "password1", "Jane", "SHOPPER"))).isEmpty();
        assertThat(invalidFields(signup("jane@example.com", "password1", "Jane", "OWNER"))).isEmpty();
    }

    @Test
    void signupThenEmailTrimmedAndLowerCasedAndNameTrimmed() {
        SignupRequest request = signup("  Jane.Doe@Example.COM ", "password1", "  Jane  ", "SHOPPER");

        assertThat(request.email()).isEqualTo("jane.doe@example.com");
        assertThat(request.name()).isEqualTo("Jane");
        assertThat(invalidFields(request)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not-an-email", "a@b@c"})
    void signupWhenEmailInvalidThenEmailRejected(String email) {
        assertThat(invalidFields(signup(email, "password1", "Jane", "SHOPPER"))).containsExactly("email");
    }

    @Test
    void signupWhenEmailMissingThenEmailRejected() {
        assertThat(invalidFields(signup(null, "password1", "Jane", "SHOPPER"))).containsExactly("email");
    }

    @Test
    void signupWhenEmailLongerThan254ThenEmailRejected() {
        String local = "a".repeat(64);
        String domain = ("b".repeat(60) + ".").repeat(3) + "c".repeat(7) + ".com"; // 64 + 1 + 194 = 259
        assertThat(invalidFields(signup(local + "@" + domain, "password1", "Jane", "SHOPPER"))).contains("email");
    }

    @Test
    void signupWhenPasswordShorterThan8ThenPasswordRejected() {
        assertThat(invalidFields(signup("jane@example.com", "1234567", "Jane", "SHOPPER"))).containsExactly("password");
        assertThat(invalidFields(signup("jane@example.com", "12345678", "Jane", "SHOPPER"))).isEmpty();
    }

    @Test
    void signupWhenPasswordLongerThan72ThenPasswordRejected() {
        assertThat(invalidFields(signup("jane@example.com", "x".repeat(73), "Jane", "SHOPPER"))).containsExactly("password");
        assertThat(invalidFields(signup("jane@example.com", "x".repeat(72), "Jane", "SHOPPER"))).isEmpty();
    }

    @Test
    void signupWhenPasswordOver72BytesInUtf8ThenPasswordRejected() {
        // 30 Hangul syllables: 30 characters, 90 bytes
        assertThat(invalidFields(signup("jane@example.com", "가".repeat(30), "Jane", "SHOPPER"))).containsExactly("password");
    }

    @Test
    void signupWhenPasswordMissingThenPasswordRejected() {
        assertThat(invalidFields(signup("jane@example.com", null, "Jane", "SHOPPER"))).containsExactly("password");
    }

    @Test
    void signupWhenNameBlankOrMissingThenNameRejected() {
        assertThat(invalidFields(signup("jane@example.com", "password1", "   ", "SHOPPER"))).containsExactly("name");
        assertThat(invalidFields(signup("jane@example.com", "password1", null, "SHOPPER"))).containsExactly("name");
    }

    @Test
    void signupWhenNameLongerThan50ThenNameRejected() {
        assertThat(invalidFields(signup("jane@example.com", "password1", "n".repeat(51), "SHOPPER"))).containsExactly("name");
        assertThat(invalidFields(signup("jane@example.com", "password1", " " + "n".repeat(50) + " ", "SHOPPER"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ADMIN", "shopper", "", "CUSTOMER"})
    void signupWhenRoleNotShopperOrOwnerThenRoleRejected(String role) {
        assertThat(invalidFields(signup("jane@example.com", "password1", "Jane", role))).containsExactly("role");
    }

    @Test
    void signupWhenRoleMissingThenRoleRejected() {
        assertThat(invalidFields(signup("jane@example.com", "password1", "Jane", null))).containsExactly("role");
    }

    @Test
    void signupToStringThenPasswordNotPrinted() {
        assertThat(signup("jane@example.com", "secret-password", "Jane", "SHOPPER").toString())
                .doesNotContain("secret-password");
    }

    @Test
    void updateProfileWhenNameAbsentThenValidAndWhenBlankThenRejected() {
        assertThat(invalidFields(new UpdateProfileRequest(null))).isEmpty();
        assertThat(invalidFields(new UpdateProfileRequest("  "))).containsExactly("name");
        assertThat(invalidFields(new UpdateProfileRequest("n".repeat(51)))).containsExactly("name");
        assertThat(new UpdateProfileRequest("  Jane ").name()).isEqualTo("Jane");
    }

    @Test
    void changePasswordWhenNewPasswordOutOfRangeThenNewPasswordRejected() {
        assertThat(invalidFields(new ChangePasswordRequest("old-password", "short"))).containsExactly("newPassword");
        assertThat(invalidFields(new ChangePasswordRequest("old-password", "x".repeat(73)))).containsExactly("newPassword");
        assertThat(invalidFields(new ChangePasswordRequest("", "new-password"))).containsExactly("currentPassword");
        assertThat(invalidFields(new ChangePasswordRequest("old-password", "new-password"))).isEmpty();
    }
}
