package dev.isthmus.control.status;

import dev.isthmus.control.anycast.AnycastService;
import dev.isthmus.control.anycast.AnycastStatus;
import dev.isthmus.control.appliance.ApplianceDataplane;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.List;

/**
 * {@code GET /health}: 200 only when the data plane runs, every port's link is up and every worker polls; 503 with
 * the reasons otherwise (for a load balancer or an orchestrator to take the appliance out of service).
 */
@Controller("/health")
public class HealthController {

    private final ApplianceDataplane dataplane;
    private final AnycastService anycast;

    public HealthController(ApplianceDataplane dataplane, AnycastService anycast) {
        this.dataplane = dataplane;
        this.anycast = anycast;
    }

    // Open to everyone (load balancers and systemd's readiness check ask it without a token): the requirement
    // with no scheme is OpenAPI's "{}", anonymous access, in place of the document's bearer requirement.
    @Get
    @SecurityRequirement(name = "")
    public HttpResponse<HealthReport> health() {
        List<String> problems = dataplane.problems();
        AnycastStatus routing = anycast.status().orElse(null);
        return problems.isEmpty() ? HttpResponse.ok(new HealthReport("UP", problems, routing))
                : HttpResponse.<HealthReport>status(HttpStatus.SERVICE_UNAVAILABLE)
                        .body(new HealthReport("DOWN", problems, routing));
    }
}
