package dev.couponhub.ops.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordsTests {

    @Test
    void generatedPasswordsAreLongFromTheUrlAndShellSafeAlphabetAndDiffer() {
        Set<String> passwords = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String password = Passwords.generate();
            assertThat(password).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9._~-]+");
            passwords.add(password);
        }
        assertThat(passwords).hasSize(200);
    }
}
