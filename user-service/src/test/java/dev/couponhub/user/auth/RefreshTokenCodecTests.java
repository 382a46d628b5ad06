package dev.couponhub.user.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RefreshTokenCodecTests {

    private final RefreshTokenCodec codec = new RefreshTokenCodec();

    @Test
    void hashThenLowerCaseHexSha256() {
        assertThat(RefreshTokenCodec.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hashThenSixtyFourCharactersAndDiffersFromTheToken() {
        String token = codec.newToken();

        String hash = RefreshTokenCodec.hash(token);

        assertThat(hash).hasSize(64).matches("[0-9a-f]{64}").isNotEqualTo(token);
        assertThat(RefreshTokenCodec.hash(token)).isEqualTo(hash);
    }

    @Test
    void newTokenThenThirtyTwoRandomBytesInBase64Url() {
        String token = codec.newToken();

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
    }

    @Test
    void newTokenManyTimesThenAllDistinct() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(codec.newToken());
        }
        assertThat(tokens).hasSize(1000);
    }

    @Test
    void newFamilyIdThenShortRandomBase64Url() {
        String family = codec.newFamilyId();

        assertThat(family).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(codec.newFamilyId());
    }
}
