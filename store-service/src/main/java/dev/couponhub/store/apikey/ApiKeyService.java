package dev.couponhub.store.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.store.store.Store;
import dev.couponhub.store.web.StoreProblem;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A store's API keys: created by its owner (the key is shown once; only its SHA-256 hash is kept), listed, deleted,
 * and looked up by hash for the gateway. A key is {@code chk_} and 40 URL-safe characters (240 random bits).
 */
@Service
public class ApiKeyService {

    /** Most keys one store may hold at once. */
    static final int MAX_KEYS_PER_STORE = 20;
    /** {@code lastUsedAt} is written at most this often per key. */
    static final Duration USE_RESOLUTION = Duration.ofMinutes(1);
    private static final String KEY_PREFIX = "chk_";
    private static final int SHOWN_CHARACTERS = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository keys;
    private final EntityManager entities;
    private final Clock clock;

    ApiKeyService(ApiKeyRepository keys, EntityManager entities, Clock clock) {
        this.keys = keys;
        this.entities = entities;
        this.clock = clock;
    }

    /** A new key and its secret text, which is never stored. */
    record Created(ApiKey key, String secret) {
    }

    /** The key of a partner: its id and its store. */
    public record Partner(long keyId, long storeId) {
    }

    @Transactional
    Created create(Caller caller, long storeId, String name) {
        // the store's row locked: two creations at once cannot pass the limit together, nor one a deletion
        ownedActive(caller, storeId, LockModeType.PESSIMISTIC_WRITE);
        if (keys.countByStoreId(storeId) >= MAX_KEYS_PER_STORE) {
            throw new ApiException(StoreProblem.API_KEY_LIMIT_REACHED, "A store holds at most " + MAX_KEYS_PER_STORE
                    + " API keys. Delete one it no longer uses first.");
        }
        byte[] random = new byte[30];
        RANDOM.nextBytes(random);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey key = keys.save(new ApiKey(storeId, name, secret.substring(0, SHOWN_CHARACTERS), hash(secret), now()));
        return new Created(key, secret);
    }

    @Transactional(readOnly = true)
    List<ApiKey> list(Caller caller, long storeId) {
        ownedActive(caller, storeId, LockModeType.NONE);
        return keys.findByStoreIdOrderByIdDesc(storeId);
    }

    @Transactional
    void delete(Caller caller, long storeId, long keyId) {
        ownedActive(caller, storeId, LockModeType.NONE);
        ApiKey key = keys.findById(keyId).filter(found -> found.storeId() == storeId).orElseThrow(() ->
                new ApiException(StoreProblem.API_KEY_NOT_FOUND, "The store has no API key with id " + keyId + "."));
        keys.delete(key);
    }

    /** Deletes every key of the store (it is being deleted, in the caller's transaction). */
    public void deleteAllOf(long storeId) {
        keys.deleteByStore(storeId);
    }

    /** The key whose SHA-256 is {@code hash}, if its store is active; records the use. */
    @Transactional
    public Optional<Partner> lookUp(byte[] hash) {
        Optional<ApiKey> found = keys.findActiveByHash(hash);
        found.ifPresent(key -> {
            Instant now = now();
            keys.markUsed(key.id(), now, now.minus(USE_RESOLUTION));
        });
        return found.map(key -> new Partner(key.id(), key.storeId()));
    }

    /** SHA-256 of the key's text, the only form in which keys are stored. */
    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private void ownedActive(Caller caller, long storeId, LockModeType lock) {
        Store store = entities.find(Store.class, storeId, lock);
        if (store == null || !store.isActive()) {
            throw new ApiException(StoreProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + ".");
        }
        if (!store.isOwnedBy(caller.userId())) {
            throw new ApiException(StoreProblem.NOT_STORE_OWNER, "Only the store's owner may manage its API keys.");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
