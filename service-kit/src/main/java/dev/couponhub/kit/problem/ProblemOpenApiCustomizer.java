package dev.couponhub.kit.problem;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Gives every error response of the OpenAPI description (status 4xx or 5xx) the {@code application/problem+json}
 * {@code Problem} schema, so a controller states only the status and the codes: {@code @ApiResponse(responseCode =
 * "404", description = "STORE_NOT_FOUND")}.
 */
public class ProblemOpenApiCustomizer implements OpenApiCustomizer {

    static final String PROBLEM_JSON = "application/problem+json";

    @Override
    public void customise(OpenAPI openApi) {
        ModelConverters.getInstance().readAll(ProblemBody.class).forEach((name, schema) -> {
            if (openApi.getComponents() == null) {
                openApi.components(new io.swagger.v3.oas.models.Components());
            }
            openApi.getComponents().addSchemas(name, schema);
        });
        Schema<?> problem = new Schema<>().$ref("#/components/schemas/Problem");
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getResponses() == null) {
                return;
            }
            operation.getResponses().forEach((status, response) -> {
                if (isError(status)) {
                    problemContent(response, problem);
                }
            });
        }));
    }

    private static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }

    private static void problemContent(ApiResponse response, Schema<?> problem) {
        response.setContent(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(problem)));
    }
}
