package dev.couponhub.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;

class AdminBootstrapIT extends UserServiceItSupport {

    @Autowired
    private List<ApplicationRunner> allRunners;

    private List<ApplicationRunner> adminBootstrap() {
        List<ApplicationRunner> runners = allRunners.stream()
                .filter(runner -> runner.getClass().getSimpleName().startsWith("AdminAccountInitializer")).toList();
        assertThat(runners).hasSize(1);
        return runners;
    }

    private int openAdmins() {
        return jdbc.queryForObject("select count(*) from users where active_email = ? and role = 'ADMIN'",
                Integer.class, ADMIN_EMAIL);
    }

    @Test
    void startThenConfiguredAdminExistsWithRoleAdmin() {
        assertThat(openAdmins()).isEqualTo(1);
        long id = jdbc.queryForObject("select id from users where active_email = ?", Long.class, ADMIN_EMAIL);

        assertThat(api.get("/api/v1/users/me", as(id)).json().get("role").asText()).isEqualTo("ADMIN");
    }

    @Test
    void bootstrapRunAgainThenExistingAdminLeftAsItIs() throws Exception {
        long before = jdbc.queryForObject("select id from users where active_email = ?", Long.class, ADMIN_EMAIL);

        for (ApplicationRunner runner : adminBootstrap()) {
            runner.run(new DefaultApplicationArguments());
        }

        assertThat(openAdmins()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select id from users where active_email = ?", Long.class, ADMIN_EMAIL))
                .isEqualTo(before);
    }

    @Test
    void bootstrapByInstancesStartingTogetherThenExactlyOneAdminCreated() throws Exception {
        // as if the admin had never been created: close the present one, freeing its email
        jdbc.update("update users set active_email = null, closed_at = now(6) where active_email = ?", ADMIN_EMAIL);
        int rowsBefore = jdbc.queryForObject("select count(*) from users where email = ?", Integer.class, ADMIN_EMAIL);
        ApplicationArguments args = new DefaultApplicationArguments();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    for (ApplicationRunner runner : adminBootstrap()) {
                        runner.run(args);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(openAdmins()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from users where email = ?", Integer.class, ADMIN_EMAIL))
                .isEqualTo(rowsBefore + 1);
        assertThat(login(ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200);
    }
}
