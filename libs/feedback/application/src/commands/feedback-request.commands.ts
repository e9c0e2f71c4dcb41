import { EventCatalog, EventMetadata, FeedbackRating, FeedbackRequestContext } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, Projection, StoredEvent, toDomainEvent } from '@cbme/event-sourcing';
import {
  AskedPerson, answerDialogue, contextInWords, dialogueOfAnswer, dialogueStreamId, FeedbackRequestAnsweredWritten, FeedbackRequestCommand, feedbackDialogueDecider, FeedbackRequestEvent, FeedbackRequestMadeWritten,
  feedbackRequestDecider, feedbackRequestStreamId, Responder,
} from '@cbme/feedback-domain';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches, SCHOOL_MEMBERS, SchoolMembers } from '../ports/read-model-ports';
import {
  FEEDBACK_REQUEST_JOBS, FEEDBACK_REQUEST_OPTIONS, FeedbackRequestJobs, FeedbackRequestOptions, REQUEST_TOKENS,
  RequestTokens,
} from '../ports/feedback-request-ports';
import { CONTACTS, Contacts, NOTIFIER, Notifier } from '../ports/notifier';
import { coachOf } from './current-coach';
import { requireSchoolCompetencies } from './framework.commands';

/** What the bearer of a link is told for a token that is forged, expired or not this service's, and for a request no longer open. */
export const LINK_REFUSED = 'this feedback link cannot be used: it was used already, the request was declined or has expired, or the link is not valid';

export class PromptFeedbackRequestCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { requestId: string; learnerId: string; competencies: string[]; message?: string }) {}
}

export class RequestFeedbackCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { requestId: string; asked: AskedPerson; competencies: string[]; context: FeedbackRequestContext }) {}
}

/** By an account holder who was asked (`token` absent) or by the bearer of the request's link token. */
export class AnswerFeedbackRequestCommand {
  constructor(readonly metadata: EventMetadata, readonly requestId: string, readonly input: { text: string; ratings: FeedbackRating[] }) {}
}

export class DeclineFeedbackRequestCommand {
  constructor(readonly metadata: EventMetadata, readonly requestId: string, readonly reason?: string) {}
}

/** The bearer of a link token answers or declines; the token says which request and school (checked here). */
export class RespondByTokenCommand {
  constructor(
    readonly token: string,
    readonly receivedAt: string,
    readonly correlationId: string,
    readonly response: { kind: 'answer'; text: string; ratings: FeedbackRating[] } | { kind: 'decline'; reason?: string },
  ) {}
}

/** A job's command: the reminder or the expiry of one request, re-decided when it fires. */
export class RunFeedbackRequestJobCommand {
  constructor(readonly metadata: EventMetadata, readonly requestId: string, readonly kind: 'reminder' | 'expiry') {}
}

/** The reaction to an answer: open the dialogue it lands in (idempotent). */
export class OpenAnswerDialogueCommand {
  constructor(readonly metadata: EventMetadata, readonly requestId: string) {}
}

/** Verifies a link token and says which request and school it names (404 with LINK_REFUSED otherwise). */
export async function requestOfToken(tokens: RequestTokens, token: string) {
  const claims = await tokens.verify(token);
  if (!claims) throw notFound(LINK_REFUSED);
  return claims;
}

/** The metadata of a link token's bearer: an external assessor with no account, named by the request. */
export const externalMetadata = (claims: { requestId: string; institutionId: string; schoolId: string }, receivedAt: string, correlationId: string): EventMetadata => ({
  occurredAt: receivedAt, tenant: { institutionId: claims.institutionId, schoolId: claims.schoolId },
  actor: { userId: `external:${claims.requestId}`, role: 'system' }, correlationId, causationId: null,
});

abstract class RequestHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
  ) {}

  protected run(metadata: EventMetadata, requestId: string, command: FeedbackRequestCommand) {
    return executeCommand(this.store, this.catalog, feedbackRequestDecider, feedbackRequestStreamId(requestId), command, metadata);
  }
}

@CommandHandler(PromptFeedbackRequestCommand)
export class PromptFeedbackRequestHandler extends RequestHandler implements ICommandHandler<PromptFeedbackRequestCommand> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(EVENT_CATALOG) catalog: EventCatalog, @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches) {
    super(store, catalog);
  }

  async execute({ metadata, input }: PromptFeedbackRequestCommand) {
    const currentCoachId = await coachOf(this.coaches, metadata, input.learnerId);
    // who may prompt is decided (by the decider) before the competencies are looked at
    if (currentCoachId === metadata.actor.userId) await requireSchoolCompetencies(this.store, metadata, input.competencies);
    return this.run(metadata, input.requestId, { type: 'PromptFeedbackRequest', data: { ...input, promptedBy: metadata.actor.userId, currentCoachId } });
  }
}

@CommandHandler(RequestFeedbackCommand)
export class RequestFeedbackHandler extends RequestHandler implements ICommandHandler<RequestFeedbackCommand> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(EVENT_CATALOG) catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
    @Inject(CONTACTS) private readonly people: Contacts,
    @Inject(FEEDBACK_REQUEST_OPTIONS) private readonly options: FeedbackRequestOptions,
  ) {
    super(store, catalog);
  }

  async execute({ metadata, input }: RequestFeedbackCommand) {
    const learnerId = metadata.actor.userId;
    await requireSchoolCompetencies(this.store, metadata, input.competencies);
    const currentCoachId = await coachOf(this.coaches, metadata, learnerId);
    const { asked } = input;
    const colleague = asked.kind === 'colleague'
      ? await Promise.all([this.members.rolesOf(metadata.tenant.schoolId, asked.userId), this.people.contactOf(asked.userId)])
        .then(([roles, contact]) => (roles.length > 0 && contact ? { displayName: contact.displayName, isMember: true } : null))
      : null;
    const coachName = currentCoachId ? (await this.people.contactOf(currentCoachId))?.displayName ?? null : null;
    const { reminderAfterDays, expiresAfterDays } = this.options;
    return this.run(metadata, input.requestId, {
      type: 'RequestFeedback',
      data: { ...input, requestedBy: learnerId, today: metadata.occurredAt, currentCoachId, colleague, coachName, settings: { reminderAfterDays, expiresAfterDays } },
    });
  }
}

@CommandHandler(AnswerFeedbackRequestCommand)
export class AnswerFeedbackRequestHandler extends RequestHandler implements ICommandHandler<AnswerFeedbackRequestCommand> {
  execute({ metadata, requestId, input }: AnswerFeedbackRequestCommand) {
    return this.run(metadata, requestId, { type: 'AnswerFeedbackRequest', data: { by: { userId: metadata.actor.userId }, ...input, today: metadata.occurredAt } });
  }
}

@CommandHandler(DeclineFeedbackRequestCommand)
export class DeclineFeedbackRequestHandler extends RequestHandler implements ICommandHandler<DeclineFeedbackRequestCommand> {
  execute({ metadata, requestId, reason }: DeclineFeedbackRequestCommand) {
    return this.run(metadata, requestId, { type: 'DeclineFeedbackRequest', data: { by: { userId: metadata.actor.userId }, reason, today: metadata.occurredAt } });
  }
}

@CommandHandler(RespondByTokenCommand)
export class RespondByTokenHandler extends RequestHandler implements ICommandHandler<RespondByTokenCommand> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(EVENT_CATALOG) catalog: EventCatalog, @Inject(REQUEST_TOKENS) private readonly tokens: RequestTokens) {
    super(store, catalog);
  }

  async execute({ token, receivedAt, correlationId, response }: RespondByTokenCommand) {
    const claims = await requestOfToken(this.tokens, token);
    const metadata = externalMetadata(claims, receivedAt, correlationId);
    const by: Responder = { token: true };
    const command: FeedbackRequestCommand = response.kind === 'answer'
      ? { type: 'AnswerFeedbackRequest', data: { by, text: response.text, ratings: response.ratings, today: receivedAt } }
      : { type: 'DeclineFeedbackRequest', data: { by, reason: response.reason, today: receivedAt } };
    const result = await this.run(metadata, claims.requestId, command);
    return { requestId: claims.requestId, ...result };
  }
}

@CommandHandler(RunFeedbackRequestJobCommand)
export class RunFeedbackRequestJobHandler extends RequestHandler implements ICommandHandler<RunFeedbackRequestJobCommand> {
  execute({ metadata, requestId, kind }: RunFeedbackRequestJobCommand) {
    const today = metadata.occurredAt;
    return this.run(metadata, requestId, kind === 'reminder' ? { type: 'SendFeedbackRequestReminder', data: { today } } : { type: 'ExpireFeedbackRequest', data: { today } });
  }
}

@CommandHandler(OpenAnswerDialogueCommand)
export class OpenAnswerDialogueHandler implements ICommandHandler<OpenAnswerDialogueCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  async execute({ metadata, requestId }: OpenAnswerDialogueCommand) {
    const history = await this.store.readStream(feedbackRequestStreamId(requestId));
    const answered = history.find((e) => e.type === 'feedback.request-answered');
    if (!answered) return { events: [], nextExpectedVersion: 0 };
    const state = foldRequest(history);
    const dialogueId = dialogueOfAnswer(requestId);
    const answer = answerDialogue(state, answered.data as FeedbackRequestAnsweredWritten);
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), {
      type: 'OpenDialogueFromAnswer', data: { dialogueId, entryId: `${dialogueId}-answer`, answer },
    }, metadata);
  }
}

const systemMetadata = (event: StoredEvent): EventMetadata => ({
  occurredAt: new Date().toISOString(), tenant: event.tenant, actor: { userId: 'feedback-service', role: 'system' },
  correlationId: event.correlationId, causationId: event.eventId,
});

/**
 * Reacts to this service's own request events: an answer opens its dialogue (idempotent: the dialogue's id comes from
 * the request). Checkpointed like a projection, so an answer whose dialogue was not yet opened when the service
 * stopped gets it after the restart.
 */
@Injectable()
export class AnswerDialogueReaction implements Projection {
  readonly name = 'feedback-answer-dialogues';

  constructor(private readonly commands: CommandBus) {}

  async apply(events: StoredEvent[]): Promise<void> {
    for (const event of events.filter((e) => e.type === 'feedback.request-answered')) {
      await this.commands.execute(new OpenAnswerDialogueCommand(systemMetadata(event), (event.data as { requestId: string }).requestId));
    }
  }
}

/**
 * Mails the person asked when a request is made (with a link) and when its one reminder is recorded, and schedules
 * the reminder and the expiry jobs. Each message has an idempotency key for the notifier; a batch applied again
 * after a crash asks the notifier again with the same keys.
 */
@Injectable()
export class FeedbackRequestMail implements Projection {
  readonly name = 'feedback-request-mail';

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NOTIFIER) private readonly notifier: Notifier,
    @Inject(CONTACTS) private readonly people: Contacts,
    @Inject(REQUEST_TOKENS) private readonly tokens: RequestTokens,
    @Inject(FEEDBACK_REQUEST_JOBS) private readonly jobs: FeedbackRequestJobs,
    @Inject(FEEDBACK_REQUEST_OPTIONS) private readonly options: FeedbackRequestOptions,
  ) {}

  async apply(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'feedback.request-made') {
        const made = event.data as FeedbackRequestMadeWritten;
        await this.mail(event, made, 'invitation');
        const job = { institutionId: event.tenant.institutionId, schoolId: event.tenant.schoolId, requestId: made.requestId, correlationId: event.correlationId };
        await this.jobs.schedule({ ...job, kind: 'reminder', at: made.remindAt });
        await this.jobs.schedule({ ...job, kind: 'expiry', at: made.expiresAt });
      } else if (event.type === 'feedback.request-reminder-sent') {
        const [made] = (await this.store.readStream(event.streamId)).filter((e) => e.type === 'feedback.request-made');
        if (made) await this.mail(event, made.data as FeedbackRequestMadeWritten, 'reminder');
      }
    }
  }

  private async mail(event: StoredEvent, made: FeedbackRequestMadeWritten, what: 'invitation' | 'reminder') {
    const learner = (await this.people.contactOf(made.learnerId))?.displayName ?? made.learnerId;
    const link = made.assessorId
      ? { to: (await this.people.contactOf(made.assessorId))?.email, url: `${this.options.webOrigin}/feedback/asked/${encodeURIComponent(made.requestId)}` }
      : { to: made.assessorEmail, url: `${this.options.webOrigin}/feedback/answer#token=${await this.tokens.sign({ ...event.tenant, requestId: made.requestId, expiresAt: made.expiresAt })}` };
    // an account without a known address cannot be mailed; the request still shows in their "asked of me" list
    if (!link.to) return;
    const context = contextInWords(made.context);
    const subject = what === 'invitation' ? `${learner} asks for your feedback` : `Reminder: ${learner} asks for your feedback`;
    const text = [
      `Dear ${made.assessorName},`, '',
      `${learner} asks for your feedback on ${made.competencies.join(', ')}${context ? ` (${context})` : ''}.`,
      `Answer or decline here: ${link.url}`, '',
      `The request is open until ${made.expiresAt.slice(0, 10)}.`,
    ].join('\n');
    await this.notifier.notify({ key: `feedback-request:${made.requestId}:${what}`, to: link.to, subject, text });
  }
}

/** A request's stream folded into its state. */
export const foldRequest = (history: StoredEvent[]) => history.map(toDomainEvent<FeedbackRequestEvent>).reduce(feedbackRequestDecider.evolve, feedbackRequestDecider.initialState);
