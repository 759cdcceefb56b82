package dev.outrigger.election.autoconfigure;

import dev.outrigger.election.BackendChoice;
import dev.outrigger.election.ElectionProperties;
import dev.outrigger.election.ElectionProperties.Backend;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

class OnElectionBackendCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Backend wanted = (Backend) metadata.getAnnotationAttributes(ConditionalOnElectionBackend.class.getName())
			.get("value");
		ElectionProperties properties = Binder.get(context.getEnvironment())
			.bindOrCreate("outrigger.election", Bindable.of(ElectionProperties.class));
		Backend effective = BackendChoice.of(properties);
		return new ConditionOutcome(effective == wanted, "election backend is " + effective);
	}

}
