package dev.couponhub.ops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One-off operations tasks, run by the deploy as ECS tasks: {@code db-bootstrap} and {@code search-reindex} (the first
 * program argument, see {@link TaskRunner}). No web server; the process ends when the task has run, with exit code 0
 * on success, {@value TaskRunner#FAILED} when the task failed and {@value TaskRunner#USAGE} when the command or the
 * configuration is wrong.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OpsTasksApplication {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs one command and closes the context.
     *
     * @param initializers applied to the context before it is refreshed (tests put their beans in this way)
     * @return the process exit code
     */
    @SafeVarargs
    static int run(String[] args, ApplicationContextInitializer<ConfigurableApplicationContext>... initializers) {
        SpringApplication application = new SpringApplication(OpsTasksApplication.class);
        application.addInitializers(initializers);
        ConfigurableApplicationContext context;
        try {
            context = application.run(args);
        } catch (RuntimeException e) {
            // Spring Boot has already logged why the context did not start (e.g. a property that does not bind)
            return TaskRunner.FAILED;
        }
        return SpringApplication.exit(context);
    }
}
