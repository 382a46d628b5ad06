package dev.couponhub.ai.recommendation;

import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.RequireRole;
import dev.couponhub.kit.caller.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/recommendations")
class RecommendationController {

    private final RecommendationService recommendations;

    RecommendationController(RecommendationService recommendations) {
        this.recommendations = recommendations;
    }

    @Operation(summary = "Coupons recommended to the signed-in shopper",
            description = "Coupons the caller can claim right now and has not claimed, best first, each with a short "
                    + "reason. `source` is GEMINI when the model chose them and FALLBACK when the model-free ranking "
                    + "did (no model configured, model slower than its time-out, failed or unusable answer). Answers "
                    + "are reused for the same shopper and limit for a short while (60 s by default).",
            security = @SecurityRequirement(name = "bearerAuth"))
    @ApiResponse(responseCode = "200", description = "Recommendations (possibly an empty list)")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: limit outside 1..20")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: only shoppers get recommendations")
    @ApiResponse(responseCode = "503", description = "DEPENDENCY_UNAVAILABLE: coupons cannot be read right now")
    @GetMapping("/coupons")
    Recommendation coupons(@Parameter(hidden = true) @RequireRole(Role.SHOPPER) Caller caller,
                           @Parameter(description = "how many coupons, 1..20")
                           @RequestParam(defaultValue = "5") @Min(1) @Max(20) int limit) {
        return recommendations.recommend(caller.userId(), limit);
    }
}
