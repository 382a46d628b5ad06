package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.e2e.CouponhubSuite.Result;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs after every other class, the fault scenarios included: {@code ./couponhub down} stops everything, also what
 * the scenarios started again themselves (a restarted service is in its pid file; a restarted Redis runs from the
 * state directory).
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(CouponhubSuite.class)
class SuiteShutdownIT {

    @Test
    void downLeavesNoProcessAndFreesEveryPort() throws Exception {
        Result down = CouponhubSuite.down();
        assertThat(down.exitCode()).as(down.output()).isZero();

        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(CouponhubSuite.STATE.toString())
                        || c.contains(CouponhubSuite.ROOT + "/devstack/target")
                        || c.contains(CouponhubSuite.ROOT + "/") && c.matches(".*/[a-z]+-service-[^ ]*\\.jar.*"))
                        .orElse(false))
                .toList();
        assertThat(leftovers).as("processes left behind").isEmpty();
        for (int port : CouponhubSuite.PORTS) {
            assertThat(CouponhubSuite.portOpen(port)).as("port %d is free after down", port).isFalse();
        }
    }
}
