package dev.couponhub.store.apikey;

import java.util.HexFormat;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * For the gateway only ({@code /internal/v1}, not routed, on the service port): the partner a key's SHA-256 (64 hex
 * digits) belongs to, {@code {keyId, storeId}}, or 404 when no key of an active store has it. The key itself never
 * leaves the gateway. Records the key's use ({@code lastUsedAt}).
 */
@Hidden
@RestController
class ApiKeyLookupController {

    static final String PATH = "/internal/v1/api-keys/{hash}";

    private final ApiKeyService keys;

    ApiKeyLookupController(ApiKeyService keys) {
        this.keys = keys;
    }

    @GetMapping(PATH)
    ResponseEntity<ApiKeyService.Partner> lookUp(@PathVariable String hash) {
        if (!hash.matches("[0-9a-f]{64}")) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.of(keys.lookUp(HexFormat.of().parseHex(hash)));
    }
}
