package dev.couponhub.notification.subscription;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.notification.store.StoreDirectory;
import dev.couponhub.notification.store.StoreInfo;
import dev.couponhub.notification.web.NotificationProblem;
import org.springframework.stereotype.Service;

/** Blocking: runs on the bounded blocking scheduler, never on an event loop. */
@Service
class SubscriptionService {

    /** A subscription and whether this call created it. */
    record Outcome(Subscription subscription, boolean created) {
    }

    private final SubscriptionRepository subscriptions;
    private final StoreDirectory stores;
    private final Clock clock;

    SubscriptionService(SubscriptionRepository subscriptions, StoreDirectory stores, Clock clock) {
        this.subscriptions = subscriptions;
        this.stores = stores;
        this.clock = clock;
    }

    /** Follows the store (which must exist and not be deleted); following it again changes nothing. */
    Outcome subscribe(long userId, long storeId) {
        Optional<Subscription> existing = subscriptions.find(userId, storeId);
        if (existing.isPresent()) {
            return new Outcome(existing.get(), false);
        }
        StoreInfo store = stores.get(storeId);
        if (store.deleted()) {
            throw new ApiException(NotificationProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + ".");
        }
        boolean created = subscriptions.insert(userId, storeId, store.name(), clock.instant());
        Subscription subscription = subscriptions.find(userId, storeId)
                .orElseThrow(() -> new IllegalStateException("subscription vanished"));
        return new Outcome(subscription, created);
    }

    /**
     * The user's subscriptions, newest first, with current store names: one {@code GetStores} call refreshes the
     * names kept since subscribing; if store-service cannot answer, the kept names are shown.
     */
    List<Subscription> list(long userId) {
        List<Subscription> own = subscriptions.ofUser(userId);
        Optional<Map<Long, StoreInfo>> current = stores.find(own.stream().map(Subscription::storeId).toList());
        if (current.isEmpty()) {
            return own;
        }
        return own.stream().map(subscription -> {
            StoreInfo store = current.get().get(subscription.storeId());
            if (store == null || store.name().equals(subscription.storeName())) {
                return subscription;
            }
            subscriptions.rename(store.id(), store.name());
            return subscription.withStoreName(store.name());
        }).toList();
    }

    void unsubscribe(long userId, long storeId) {
        subscriptions.delete(userId, storeId);
    }
}
