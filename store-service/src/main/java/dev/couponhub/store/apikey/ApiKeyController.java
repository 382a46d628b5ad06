package dev.couponhub.store.apikey;

import java.time.Instant;
import java.util.List;

import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.RequireRole;
import dev.couponhub.kit.caller.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Partner keys", description = """
        API keys of a store's own servers (a point-of-sale system, an online shop's backend). A partner sends \
        `X-Api-Key: <key>` instead of a bearer token and acts for that one store, on the issued coupons of its \
        coupons (list, CSV), grants, and redemptions at the counter (redeem, preview, cancel); every other route \
        answers 403. A wrong or deleted key is 401 UNAUTHORIZED; a deleted key is refused by every gateway within 5 \
        seconds. Partner calls are rate limited per key.""")
@SecurityRequirement(name = "bearerAuth")
@ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
@ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER: another owner's store")
@ApiResponse(responseCode = "404", description = "STORE_NOT_FOUND (also a deleted store)")
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    /** {@code POST} body. */
    record NewKey(@NotBlank @Size(max = 100) String name) {
    }

    /** A new key: {@code key} is in this answer only. */
    record CreatedKey(long id, String name, String prefix,
                      @Schema(description = "the key itself, shown this once") String key, Instant createdAt) {
    }

    /** A key as listed: never the key itself. */
    record KeyView(long id, String name, String prefix, Instant createdAt,
                   @Schema(nullable = true, description = "the last call with the key, to the minute")
                   Instant lastUsedAt) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.name(), key.prefix(), key.createdAt(), key.lastUsedAt());
        }
    }

    @PostMapping("/api/v1/stores/{id:\\d+}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an API key of my store", description = """
            A new key for the store's servers, named for the owner's own use (1 to 100 characters). `key` is shown in \
            this answer only: only a hash of it is kept, so a lost key cannot be shown again (delete it and create \
            another). `prefix` is the key's first 12 characters, to tell keys apart. A store holds at most 20 keys \
            (409 API_KEY_LIMIT_REACHED).""")
    @ApiResponse(responseCode = "201", description = "The key, with its text")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: `name` missing, blank or too long")
    @ApiResponse(responseCode = "409", description = "API_KEY_LIMIT_REACHED: the store holds 20 keys")
    CreatedKey create(@Parameter(hidden = true) @RequireRole(Role.OWNER) Caller caller, @PathVariable long id,
                      @Valid @RequestBody NewKey request) {
        ApiKeyService.Created created = keys.create(caller, id, request.name().strip());
        ApiKey key = created.key();
        return new CreatedKey(key.id(), key.name(), key.prefix(), created.secret(), key.createdAt());
    }

    @GetMapping("/api/v1/stores/{id:\\d+}/api-keys")
    @Operation(summary = "The API keys of my store", description = """
            The store's keys, newest first, without their text. `lastUsedAt` is the last call made with the key (to \
            the minute), null if none.""")
    @ApiResponse(responseCode = "200", description = "The keys")
    List<KeyView> list(@Parameter(hidden = true) @RequireRole(Role.OWNER) Caller caller, @PathVariable long id) {
        return keys.list(caller, id).stream().map(KeyView::of).toList();
    }

    @DeleteMapping("/api/v1/stores/{id:\\d+}/api-keys/{keyId:\\d+}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an API key of my store", description = """
            The key stops working: every gateway refuses it (401) within 5 seconds. Deleting a store deletes its \
            keys.""")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "STORE_NOT_FOUND; API_KEY_NOT_FOUND: no such key of this store")
    void delete(@Parameter(hidden = true) @RequireRole(Role.OWNER) Caller caller, @PathVariable long id,
                @PathVariable long keyId) {
        keys.delete(caller, id, keyId);
    }
}
