package dev.couponhub.store.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import dev.couponhub.kit.outbox.Outbox;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.store.apikey.ApiKeyService;
import dev.couponhub.store.events.StoreDeleted;
import dev.couponhub.store.events.StoreUpdated;
import dev.couponhub.store.web.PageResponse;
import dev.couponhub.store.web.StoreProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Store use cases. Every change writes its event to the outbox in the same transaction, so the event is published
 * exactly when the change commits.
 */
@Service
class StoreService {

    /** A change that lost an optimistic-locking race is retried this many times in all. */
    static final int MAX_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(StoreService.class);

    private final StoreRepository stores;
    private final ApiKeyService apiKeys;
    private final StoreSearch search;
    private final Outbox outbox;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final TransactionTemplate readOnlyTx;

    StoreService(StoreRepository stores, StoreSearch search, Outbox outbox, Clock clock,
                 PlatformTransactionManager transactionManager, ApiKeyService apiKeys) {
        this.stores = stores;
        this.apiKeys = apiKeys;
        this.search = search;
        this.outbox = outbox;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactionManager);
        this.readOnlyTx = new TransactionTemplate(transactionManager);
        this.readOnlyTx.setReadOnly(true);
    }

    Store create(long ownerId, StoreDetails details) {
        return tx.execute(status -> {
            Store store = stores.save(Store.open(ownerId, details, now())); // IDENTITY: inserted, id known
            outbox.append(updated(store));
            return store;
        });
    }

    Store get(long id) {
        return readOnlyTx.execute(status -> active(id));
    }

    PageResponse<Store> list(@Nullable String q, @Nullable Category category, int page, int size) {
        return readOnlyTx.execute(status -> search.find(q, category, null, page, size));
    }

    PageResponse<Store> listOwnedBy(long ownerId, int page, int size) {
        return readOnlyTx.execute(status -> search.find(null, null, ownerId, page, size));
    }

    /** 404 when the store does not exist (or is deleted), then 403 when the caller does not own it. */
    Store update(long id, long callerId, StoreDetails details) {
        return retryingOnConflict(() -> tx.execute(status -> {
            Store store = ownedActive(id, callerId);
            if (store.update(details, now())) {
                stores.flush(); // the version check happens here, inside the retry
                outbox.append(updated(store));
            }
            return store;
        }));
    }

    void delete(long id, long callerId) {
        retryingOnConflict(() -> tx.execute(status -> {
            Store store = ownedActive(id, callerId);
            store.delete(now());
            stores.flush();
            apiKeys.deleteAllOf(store.id()); // after the flush: the store's row is locked, no key is added meanwhile
            outbox.append(new StoreDeleted(store.id(), store.ownerId(), store.version())); // flushed: the new version
            return store;
        }));
    }

    private Store active(long id) {
        return stores.findById(id).filter(Store::isActive)
                .orElseThrow(() -> new ApiException(StoreProblem.STORE_NOT_FOUND, "There is no store with id " + id + "."));
    }

    private Store ownedActive(long id, long callerId) {
        Store store = active(id);
        if (!store.isOwnedBy(callerId)) {
            throw new ApiException(StoreProblem.NOT_STORE_OWNER, "Only the store's owner may change it.");
        }
        return store;
    }

    private static StoreUpdated updated(Store store) {
        return new StoreUpdated(store.id(), store.ownerId(), store.name(), store.category().name(), store.version());
    }

    private static <T> T retryingOnConflict(Supplier<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return change.get();
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    log.info("Giving up on a store change after {} concurrent modifications", attempt);
                    throw new ApiException(StoreProblem.CONCURRENT_MODIFICATION,
                            "The store was changed by another request at the same time. Try again.");
                }
            }
        }
    }

    /** Stored with microsecond precision, so answers before and after a reload agree. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
