package dev.couponhub.user.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;

import dev.couponhub.user.config.JwtProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTests {

    @TempDir
    Path dir;

    private static JwtProperties properties(String privateKey, Path file, boolean generate, List<String> previous) {
        return new JwtProperties("couponhub", Duration.ofMinutes(15), privateKey, file == null ? null : file.toString(),
                generate, previous);
    }

    @Test
    void privateKeyPropertyThenSignsWithItAndKidIsItsThumbprint() {
        SigningKeys keys = new SigningKeys(properties(TestKeys.pemPrivate(TestKeys.CURRENT), null, false, List.of()));

        assertThat(keys.signingKey()).isEqualTo(TestKeys.CURRENT.getPrivate());
        assertThat(keys.keyId()).isEqualTo(
                AccessTokenIssuerTests.rfc7638Thumbprint((RSAPublicKey) TestKeys.CURRENT.getPublic()));
    }

    @Test
    void privateKeyWithEscapedNewlinesThenAccepted() {
        String oneLine = TestKeys.pemPrivate(TestKeys.CURRENT).replace("\n", "\\n");

        SigningKeys keys = new SigningKeys(properties(oneLine, null, false, List.of()));

        assertThat(keys.signingKey()).isEqualTo(TestKeys.CURRENT.getPrivate());
    }

    @Test
    void privateKeyFileThenLoaded() throws Exception {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, TestKeys.pemPrivate(TestKeys.CURRENT));

        SigningKeys keys = new SigningKeys(properties(null, file, false, List.of()));

        assertThat(keys.signingKey()).isEqualTo(TestKeys.CURRENT.getPrivate());
    }

    @Test
    void keyFileAbsentAndGenerationOnThenCreatedOwnerOnlyAndReusedNextTime() throws Exception {
        Path file = dir.resolve(".devstack/keys/jwt-signing-key.pem");

        SigningKeys first = new SigningKeys(properties(null, file, true, List.of()));
        SigningKeys second = new SigningKeys(properties(null, file, true, List.of()));

        assertThat(file).exists();
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(((RSAKey) first.signingKey()).getModulus().bitLength()).isEqualTo(2048);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void keyFileAbsentAndGenerationOffThenFailsNamingTheFile() {
        Path file = dir.resolve("missing.pem");

        assertThatThrownBy(() -> new SigningKeys(properties(null, file, false, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("couponhub.jwt.private-key-file").hasMessageContaining("does not exist");
    }

    @Test
    void nothingConfiguredThenFailsWithAClearMessage() {
        assertThatThrownBy(() -> new SigningKeys(properties(null, null, false, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("COUPONHUB_JWT_PRIVATE_KEY")
                .hasMessageContaining("couponhub.jwt.private-key-file");
    }

    @Test
    void privateKeyNotPemThenFailsWithoutEchoingIt() {
        String garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNlY3JldC1zZWNyZXQ=\n-----END PRIVATE KEY-----";

        assertThatThrownBy(() -> new SigningKeys(properties(garbage, null, false, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("COUPONHUB_JWT_PRIVATE_KEY")
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void publicKeyGivenAsPrivateKeyThenRefused() {
        assertThatThrownBy(() -> new SigningKeys(properties(TestKeys.pemPublic(TestKeys.CURRENT), null, false, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BEGIN PRIVATE KEY");
    }

    @Test
    void keyShorterThan2048BitsThenRefused() {
        String weak = TestKeys.pemPrivate(TestKeys.generate(1024));

        assertThatThrownBy(() -> new SigningKeys(properties(weak, null, false, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2048");
    }

    @Test
    void previousPublicKeyNotUsableThenFailsNamingTheEntry() {
        assertThatThrownBy(() -> new SigningKeys(TestKeys.currentPrivate(), List.of("not a key")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("couponhub.jwt.previous-public-keys[0]");
    }

    @Test
    void propertiesToStringThenNoKeyMaterial() {
        String pem = TestKeys.pemPrivate(TestKeys.CURRENT);

        assertThat(properties(pem, null, false, List.of()).toString())
                .doesNotContain(pem.substring(40, 80)).contains("(set)");
    }
}
