package dev.couponhub.devstack;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action when the heap's old generation is still above a share of its maximum right after a collection (the
 * JVM's collection-usage threshold, notified by the memory MXBean: no polling). The action runs on a thread of its
 * own, one at a time; a notification that comes while it runs is dropped.
 */
final class MemoryGuard implements NotificationListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemoryGuard.class);

    private final Runnable action;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "devstack-memory-guard");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean running = new AtomicBoolean();

    private MemoryGuard(Runnable action) {
        this.action = action;
    }

    /** Watches every heap pool that reports usage after collection (the old generation) and has a maximum. */
    static MemoryGuard watch(double share, Runnable action) {
        MemoryGuard guard = new MemoryGuard(action);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && pool.getUsage().getMax() > 0 && !pool.getName().contains("Survivor")
                    && !pool.getName().contains("Eden")) {
                pool.setCollectionUsageThreshold((long) (pool.getUsage().getMax() * share));
            }
        }
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(guard, null, null);
        return guard;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())
                && running.compareAndSet(false, true)) {
            worker.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    log.warn("Memory guard action failed: {}", e.toString());
                } finally {
                    running.set(false);
                }
            });
        }
    }

    @Override
    public void close() {
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(this);
        } catch (ListenerNotFoundException ignored) {
            // already removed
        }
        worker.shutdownNow();
    }
}
