package dev.couponhub.store.store;

import java.net.URI;

import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.RequireRole;
import dev.couponhub.kit.caller.Role;
import dev.couponhub.kit.web.PageQuery;
import dev.couponhub.store.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/stores")
@Tag(name = "Stores", description = """
        Stores and their owners. Anyone may browse active stores; OWNER accounts create stores and change or \
        delete their own. A deleted store disappears from every answer (404 `STORE_NOT_FOUND`, never listed).""")
@ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: a field or query parameter is invalid "
        + "(`errors` names each one), or the body is not valid JSON")
class StoreController {

    static final String BASE_PATH = "/api/v1/stores";
    private final StoreService stores;

    StoreController(StoreService stores) {
        this.stores = stores;
    }

    @PostMapping
    @Operation(summary = "Create a store", description = """
            Creates an active store owned by the caller, who must be an OWNER. Text fields are trimmed; lengths \
            count characters. Unknown fields are ignored. Answers the store with its `Location`.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "201", description = "The new store")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: the caller is not an OWNER")
    ResponseEntity<StoreResponse> create(@Parameter(hidden = true) @RequireRole(Role.OWNER) Caller caller,
                                         @Valid @RequestBody StoreRequest request) {
        StoreResponse store = StoreResponse.of(stores.create(caller.userId(), request.details()));
        return ResponseEntity.created(URI.create(BASE_PATH + "/" + store.id())).body(store);
    }

    @GetMapping
    @Operation(summary = "Browse stores", description = """
            Active stores, newest first. `q` keeps stores whose name contains it, ignoring case (`%` and `_` are \
            plain characters; surrounding spaces are ignored; at most 100 characters). `category` keeps one \
            category. Pages are zero-based; `size` is 1 to 100 (default 20); a page past the end is empty.""")
    @ApiResponse(responseCode = "200", description = "A page of stores")
    PageResponse<StoreResponse> list(
            @Parameter(description = "case-insensitive part of the store name")
            @RequestParam(required = false) @Size(max = 100) String q,
            @Parameter(description = "one of FOOD, CAFE, BEAUTY, FASHION, LIFESTYLE, ENTERTAINMENT, OTHER")
            @RequestParam(required = false) Category category,
            @Parameter(description = PageQuery.PAGE_DESCRIPTION) @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "page size, 1 to 100")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        PageQuery.of(page, size); // API.md "pages": no page past the first 10,000 items
        return stores.list(q, category, page, size).map(StoreResponse::of);
    }

    @GetMapping("/mine")
    @Operation(summary = "My stores", description = "The caller's active stores, newest first. OWNER only.")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "200", description = "A page of the caller's stores")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: the caller is not an OWNER")
    PageResponse<StoreResponse> mine(
            @Parameter(hidden = true) @RequireRole(Role.OWNER) Caller caller,
            @Parameter(description = PageQuery.PAGE_DESCRIPTION) @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "page size, 1 to 100")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        PageQuery.of(page, size); // API.md "pages": no page past the first 10,000 items
        return stores.listOwnedBy(caller.userId(), page, size).map(StoreResponse::of);
    }

    @GetMapping("/{id:\\d+}")
    @Operation(summary = "Read a store")
    @ApiResponse(responseCode = "200", description = "The store")
    @ApiResponse(responseCode = "404", description = "STORE_NOT_FOUND: no such store, or it was deleted")
    StoreResponse get(@PathVariable long id) {
        return StoreResponse.of(stores.get(id));
    }

    @PutMapping("/{id:\\d+}")
    @Operation(summary = "Replace a store's details", description = """
            Replaces name, category, address and description (an absent description removes it); same rules as \
            creating. Only the store's owner may do it. Existence is checked before ownership. Sending the same \
            details again changes nothing (`updatedAt` stays). A change that collides with a simultaneous change \
            of the same store is retried by the service; if it keeps colliding the answer is 409.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "200", description = "The updated store")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "NOT_STORE_OWNER: the caller does not own the store")
    @ApiResponse(responseCode = "404", description = "STORE_NOT_FOUND: no such store, or it was deleted")
    @ApiResponse(responseCode = "409", description = "CONCURRENT_MODIFICATION: the store kept changing meanwhile; retry")
    StoreResponse update(@Parameter(hidden = true) Caller caller, @PathVariable long id,
                         @Valid @RequestBody StoreRequest request) {
        return StoreResponse.of(stores.update(id, caller.userId(), request.details()));
    }

    @DeleteMapping("/{id:\\d+}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a store", description = """
            Deletes the store for good (it is kept internally so that coupons and statistics can still name it). \
            Its coupons end: no new claims; coupons already issued stay usable until they expire. Only the \
            store's owner may do it; deleting it again answers 404.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "NOT_STORE_OWNER: the caller does not own the store")
    @ApiResponse(responseCode = "404", description = "STORE_NOT_FOUND: no such store, or it was already deleted")
    @ApiResponse(responseCode = "409", description = "CONCURRENT_MODIFICATION: the store kept changing meanwhile; retry")
    void delete(@Parameter(hidden = true) Caller caller, @PathVariable long id) {
        stores.delete(id, caller.userId());
    }
}
