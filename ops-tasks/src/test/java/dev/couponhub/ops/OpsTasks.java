package dev.couponhub.ops;

import dev.couponhub.ops.secrets.SecretStore;
import java.util.List;

/** Runs ops-tasks in this JVM, as {@code main} would, and returns its exit code. */
public final class OpsTasks {

    private OpsTasks() {
    }

    /** With AWS Secrets Manager as the secret store (the tasks that need none). */
    public static int run(List<String> args) {
        return OpsTasksApplication.run(args.toArray(String[]::new));
    }

    /** With the given secret store in place of AWS Secrets Manager. */
    public static int run(SecretStore secrets, List<String> args) {
        return OpsTasksApplication.run(args.toArray(String[]::new),
                context -> context.getBeanFactory().registerSingleton("secretStore", secrets));
    }
}
