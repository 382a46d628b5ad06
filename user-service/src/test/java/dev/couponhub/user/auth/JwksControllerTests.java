package dev.couponhub.user.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class JwksControllerTests {

    private final SigningKeys keys = new SigningKeys(TestKeys.currentPrivate(),
            List.of(TestKeys.pemPublic(TestKeys.PREVIOUS)));
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new JwksController(keys)).build();

    private List<Map<String, String>> fetchKeys() throws Exception {
        String body = mvc.perform(get("/.well-known/jwks.json"))
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", "max-age=300"))
                .andReturn().getResponse().getContentAsString();
        Map<String, List<Map<String, String>>> jwks = new ObjectMapper().readValue(body, new TypeReference<>() {
        });
        assertThat(jwks).containsOnlyKeys("keys");
        return jwks.get("keys");
    }

    @Test
    void jwksThenCurrentKeyFirstThenPreviousKeys() throws Exception {
        List<Map<String, String>> jwks = fetchKeys();

        assertThat(jwks).extracting(jwk -> jwk.get("kid")).containsExactly(
                AccessTokenIssuerTests.rfc7638Thumbprint((RSAPublicKey) TestKeys.CURRENT.getPublic()),
                AccessTokenIssuerTests.rfc7638Thumbprint((RSAPublicKey) TestKeys.PREVIOUS.getPublic()));
    }

    @Test
    void jwksThenEachKeyIsAnRs256SigningKeyWithPublicPartsOnly() throws Exception {
        for (Map<String, String> jwk : fetchKeys()) {
            assertThat(jwk).containsOnlyKeys("kty", "use", "alg", "kid", "n", "e");
            assertThat(jwk).containsEntry("kty", "RSA").containsEntry("use", "sig").containsEntry("alg", "RS256");
            assertThat(jwk).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
        }
    }

    @Test
    void jwksThenModulusAndExponentAreTheSigningPublicKey() throws Exception {
        Map<String, String> current = fetchKeys().get(0);
        RSAPublicKey key = (RSAPublicKey) TestKeys.CURRENT.getPublic();

        assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(current.get("n")))).isEqualTo(key.getModulus());
        assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(current.get("e")))).isEqualTo(key.getPublicExponent());
        assertThat(current.get("n")).doesNotContain("=").doesNotStartWith("AA");
    }

    @Test
    void jwksThenServedAsJson() throws Exception {
        String contentType = mvc.perform(get("/.well-known/jwks.json")).andReturn().getResponse().getContentType();

        assertThat(MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
    }

    @Test
    void previousKeyEqualToCurrentThenPublishedOnce() throws Exception {
        SigningKeys same = new SigningKeys(TestKeys.currentPrivate(), List.of(TestKeys.pemPublic(TestKeys.CURRENT)));

        assertThat(same.published()).hasSize(1);
    }
}
