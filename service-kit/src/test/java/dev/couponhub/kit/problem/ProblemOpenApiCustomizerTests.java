package dev.couponhub.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

class ProblemOpenApiCustomizerTests {

    @Test
    void errorResponsesGetTheProblemSchemaAndSuccessesKeepTheirs() {
        Content created = new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Store")));
        ApiResponses responses = new ApiResponses()
                .addApiResponse("201", new ApiResponse().description("The store").content(created))
                .addApiResponse("404", new ApiResponse().description("STORE_NOT_FOUND").content(created))
                .addApiResponse("503", new ApiResponse().description("DEPENDENCY_UNAVAILABLE"));
        OpenAPI api = new OpenAPI().paths(new Paths().addPathItem("/api/v1/stores",
                new PathItem().post(new Operation().responses(responses))));

        new ProblemOpenApiCustomizer().customise(api);

        assertThat(responses.get("201").getContent()).isSameAs(created);
        for (String status : new String[] {"404", "503"}) {
            ApiResponse response = responses.get(status);
            assertThat(response.getContent()).containsOnlyKeys("application/problem+json");
            assertThat(response.getContent().get("application/problem+json").getSchema().get$ref())
                    .isEqualTo("#/components/schemas/Problem");
        }
        assertThat(responses.get("404").getDescription()).isEqualTo("STORE_NOT_FOUND");
        assertThat(api.getComponents().getSchemas()).containsKeys("Problem", "FieldViolation");
        assertThat(api.getComponents().getSchemas().get("Problem").getRequired())
                .contains("type", "title", "status", "detail", "instance", "code");
    }
}
