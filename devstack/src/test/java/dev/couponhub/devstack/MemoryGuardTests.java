package dev.couponhub.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard acts when the old generation is still above its share after a collection, and not after it is closed. */
class MemoryGuardTests {

    @Test
    void oldGenerationAboveTheShareAfterACollectionThenActionRuns() throws Exception {
        CountDownLatch acted = new CountDownLatch(1);
        // a share so small that whatever survives a full collection is above it
        try (MemoryGuard ignored = MemoryGuard.watch(0.000_001, acted::countDown)) {
            for (int i = 0; i < 20 && acted.getCount() > 0; i++) {
                System.gc();
                acted.await(500, TimeUnit.MILLISECONDS);
            }
            assertThat(acted.getCount()).as("action run after a collection above the threshold").isZero();
        }
    }

    @Test
    void oldGenerationBelowTheShareThenNoAction() throws Exception {
        CountDownLatch acted = new CountDownLatch(1);
        try (MemoryGuard ignored = MemoryGuard.watch(0.99, acted::countDown)) {
            System.gc();
            assertThat(acted.await(2, TimeUnit.SECONDS)).isFalse();
        }
    }
}
