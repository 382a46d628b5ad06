package dev.couponhub.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file suspends SQS once when it appears and resumes it once when it is deleted. */
class SqsSwitchTests {

    @TempDir
    Path dir;

    @Test
    void fileCreatedThenSuspendedOnceAndDeletedThenResumedOnce() throws Exception {
        AtomicInteger suspended = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        Path file = dir.resolve(SqsSwitch.FILE_NAME);
        try (SqsSwitch ignored = SqsSwitch.watch(file, suspended::incrementAndGet, resumed::incrementAndGet,
                Duration.ofMillis(10))) {
            Thread.sleep(100);
            assertThat(suspended).hasValue(0);
            assertThat(resumed).hasValue(0);

            Files.createFile(file);
            awaitValue(suspended, 1);
            Thread.sleep(100);
            assertThat(suspended).as("suspended once while the file stays").hasValue(1);

            Files.delete(file);
            awaitValue(resumed, 1);
            Thread.sleep(100);
            assertThat(resumed).hasValue(1);
            assertThat(suspended).hasValue(1);
        }
    }

    private static void awaitValue(AtomicInteger counter, int value) throws InterruptedException {
        for (int i = 0; i < 200 && counter.get() < value; i++) {
            Thread.sleep(10);
        }
        assertThat(counter).hasValue(value);
    }
}
