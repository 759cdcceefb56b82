package dev.outrigger.kit.contract;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Admin operations through the whole MVC stack; MockMvc lets a test be a remote caller
 * without sending traffic anywhere.
 */
@Timeout(60)
class AdminSafetyTests {

	static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	@Nested
	@SpringBootTest(classes = ContractTestApplication.class,
			properties = "outrigger.lifecycle.exit-zero-on-sigterm=false")
	@AutoConfigureMockMvc
	@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
	class WithoutAToken {

		@Autowired
		private MockMvc mvc;

		@Test
		void aLoopbackCallerMayPause() throws Exception {
			this.mvc.perform(post("/lifecycle/pause").with(from("127.0.0.1"))).andExpect(status().isOk());
			this.mvc.perform(post("/lifecycle/resume").with(from("::1"))).andExpect(status().isOk());
		}

		@Test
		void aRemoteCallerIsForbiddenWithProblemJsonAndNothingChanges() throws Exception {
			this.mvc.perform(post("/lifecycle/pause").with(from("10.20.30.40")))
				.andExpect(status().isForbidden())
				.andExpect(content().contentType("application/problem+json"))
				.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("OUTRIGGER_ADMIN_TOKEN")));
			this.mvc.perform(post("/lifecycle/drain").with(from("10.20.30.40"))).andExpect(status().isForbidden());
			this.mvc.perform(get("/lifecycle")).andExpect(jsonPath("$.state").value("RUNNING"));
		}

		@Test
		void aRemoteCallerMayStillRead() throws Exception {
			this.mvc.perform(get("/lifecycle").with(from("10.20.30.40"))).andExpect(status().isOk());
		}

	}

	@Nested
	@SpringBootTest(classes = ContractTestApplication.class,
			properties = { "outrigger.admin.token=t0ken-xyz", "outrigger.lifecycle.exit-zero-on-sigterm=false" })
	@AutoConfigureMockMvc
	@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
	class WithAToken {

		@Autowired
		private MockMvc mvc;

		@Test
		void theRightTokenIsAcceptedFromAnywhere() throws Exception {
			this.mvc
				.perform(post("/lifecycle/pause").with(from("10.20.30.40")).header("Authorization", "Bearer t0ken-xyz"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.state").value("PAUSED"));
		}

		@Test
		void noTokenIsUnauthorizedEvenFromLoopback() throws Exception {
			this.mvc.perform(post("/lifecycle/pause").with(from("127.0.0.1")))
				.andExpect(status().isUnauthorized())
				.andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer")))
				.andExpect(content().contentType("application/problem+json"));
		}

		@Test
		void aWrongTokenIsForbidden() throws Exception {
			this.mvc.perform(post("/lifecycle/pause").with(from("127.0.0.1")).header("Authorization", "Bearer nope"))
				.andExpect(status().isForbidden())
				.andExpect(content().contentType("application/problem+json"));
			this.mvc.perform(get("/lifecycle")).andExpect(jsonPath("$.state").value("RUNNING"));
		}

		@Test
		void theTokenIsMaskedInInfo() throws Exception {
			this.mvc.perform(get("/actuator/info").header("Authorization", "Bearer t0ken-xyz"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.config.outrigger.admin.token").value("******"));
		}

	}

}
