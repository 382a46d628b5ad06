package dev.couponhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class CommandLineTests {

    @Test
    void noCommandThenUsageExitCodeNamingTheCommands(CapturedOutput output) {
        assertThat(OpsTasks.run(List.of())).isEqualTo(2);
        assertThat(output).contains("No command").contains("db-bootstrap").contains("search-reindex");
    }

    @Test
    void unknownCommandThenUsageExitCode(CapturedOutput output) {
        assertThat(OpsTasks.run(List.of("db-drop"))).isEqualTo(2);
        assertThat(output).contains("Unknown command 'db-drop'");
    }

    @Test
    void twoCommandsThenUsageExitCode() {
        assertThat(OpsTasks.run(List.of("db-bootstrap", "search-reindex"))).isEqualTo(2);
    }

    @Test
    void dbBootstrapWithoutConfigurationThenUsageExitCodeBeforeTouchingAnySecret(CapturedOutput output) {
        InMemorySecretStore secrets = new InMemorySecretStore();
        assertThat(OpsTasks.run(secrets, List.of("db-bootstrap"))).isEqualTo(2);
        assertThat(secrets.puts()).isEmpty();
        assertThat(output).contains("DB_HOST").contains("DB_MASTER_PASSWORD").contains("couponhub.ops.databases is empty");
    }
}
