package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs after every scenario: {@code ./couponhub down} stops everything, also what the scenarios started again
 * themselves (a restarted service is in its pid file; a restarted Redis runs from the state directory).
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(FaultSuite.class)
class SuiteShutdownIT {

    @Test
    void downLeavesNoProcessAndFreesEveryPort() throws Exception {
        FaultSuite.Result down = FaultSuite.down();
        assertThat(down.exitCode()).as(down.output()).isZero();

        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(FaultSuite.STATE.toString())
                                || c.contains(FaultSuite.ROOT + "/devstack/target")
                                || c.contains(FaultSuite.ROOT + "/") && c.matches(".*/[a-z]+-service-[^ ]*\\.jar.*"))
                        .orElse(false))
                .toList();
        assertThat(leftovers).as("processes left behind").isEmpty();
        for (int port : FaultSuite.PORTS) {
            assertThat(FaultSuite.portOpen(port)).as("port %d is free after down", port).isFalse();
        }
    }
}
