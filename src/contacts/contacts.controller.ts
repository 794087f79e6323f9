import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { CSV_CONTENT_TYPE, csvStream } from '../common/csv.js';
import { DomainError } from '../common/errors.js';
import { etagOf, parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, sendStored } from '../common/http.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { ProblemResponse } from '../common/openapi.js';
import { COMPLIANCE_CSV, ComplianceService } from './compliance.service.js';
import { ComplianceView } from './compliance.view.js';
import { ContactDetailView, ContactPage, ContactView } from './contact.view.js';
import { ContactsService } from './contacts.service.js';
import { AmendContactDto } from './dto/amend-contact.dto.js';
import { ComplianceQuery } from './dto/compliance.query.js';
import { CreateContactDto } from './dto/create-contact.dto.js';
import { ListContactsQuery, ListEnrollmentContactsQuery } from './dto/list-contacts.query.js';

/** Contacts (支援記録) are append-only: PATCH and DELETE answer 405 and point to amendments. */
class AppendOnly extends DomainError {
  constructor() {
    super(405, 'method-not-allowed', 'Method Not Allowed', 'Contacts are append-only: correct one with POST /contacts/{id}/amendments.');
  }
}

@ApiTags('contacts')
@Controller()
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly compliance: ComplianceService,
  ) {}

  @Post('enrollments/:id/contacts')
  @Allow('contact:create')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Log a contact (支援記録) on an active enrollment',
    description:
      'Idempotency-Key is required: the same key and body replay the original 201 (header Idempotent-Replayed: true); ' +
      'the same key with another body → 422; while the first request is still running → 409. Keys are kept 24 h. ' +
      'occurredOn may not be in the future nor before the enrollment began (422). Unknown staffIds/peerSupporterIds → 422.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'A new random key (UUID) per contact, reused on retries' })
  @ApiCreatedResponse({ type: ContactView, description: 'With ETag (the revision)' })
  @ApiCreateErrors()
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) enrollmentId: string,
    @Body() dto: CreateContactDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.contacts.create(actor, enrollmentId, dto, IdempotencyService.validKey(key));
    return sendStored(reply, result, result.body.revision);
  }

  @Get('enrollments/:id/contacts')
  @Allow('contact:read')
  @ApiOperation({ summary: 'Contacts of an enrollment (current revisions), newest first' })
  @ApiOkResponse({ type: ContactPage })
  @ApiReadErrors()
  listForEnrollment(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) enrollmentId: string, @Query() query: ListEnrollmentContactsQuery) {
    return this.contacts.listForEnrollment(actor, enrollmentId, query);
  }

  @Get('contacts')
  @Allow('contact:read')
  @ApiOperation({ summary: 'Contacts the caller may see (current revisions), newest first; filters from, to, kind, staffId' })
  @ApiOkResponse({ type: ContactPage })
  @ApiReadErrors()
  list(@CurrentActor() actor: Actor, @Query() query: ListContactsQuery) {
    return this.contacts.list(actor, query);
  }

  @Get('contacts/compliance')
  @Allow('compliance:read')
  @ApiOperation({
    summary: 'Monthly face-to-face rule (地域移行支援: ≥ 2 distinct days a month) as a due list',
    description:
      'Per visible community_transition enrollment that was in granted/planned/supporting on any day of the month (Asia/Tokyo): ' +
      'distinct face-to-face days (face_to_face, accompanied_outing, trial_stay — each day of the stay within the month —, ' +
      'trial_service_use, home_visit, peer_visit with staff; never phone), status met (≥ 2) / at_risk (< 2, month not over) / missed, ' +
      'days remaining; plus benefit periods ending within 30 days of today without a renewal. A future month → 400. ' +
      '`?format=csv` (or Accept: text/csv) → UTF-8 CSV with BOM, `&lang=ja` for Japanese headers.',
  })
  @ApiOkResponse({ type: ComplianceView })
  @ApiProduces('application/json', 'text/csv')
  @ApiReadErrors()
  async dueList(
    @CurrentActor() actor: Actor,
    @Query() query: ComplianceQuery,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const csv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(accept ?? ''));
    const view = await this.compliance.compute(actor, query, csv);
    if (!csv) return reply.send(view);
    const rows = view.items.map((i) => ({ ...i, month: view.month }));
    return reply
      .header('content-type', CSV_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="contact-compliance-${view.month}.csv"`)
      .send(csvStream(rows, COMPLIANCE_CSV, query.lang ?? 'en'));
  }

  @Get('contacts/:id')
  @Allow('contact:read')
  @ApiOperation({ summary: 'A contact: its current revision and the full history of revisions, oldest first' })
  @ApiOkResponse({ type: ContactDetailView, description: 'With ETag (the revision)' })
  @ApiReadErrors()
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.contacts.get(actor, id);
    reply.header('etag', etagOf(view.revision));
    return view;
  }

  @Post('contacts/:id/amendments')
  @Allow('contact:create')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Correct a contact: a new revision with the corrected fields and a reason; the original stays readable',
    description: 'Idempotency-Key is optional here. If-Match (the revision ETag) is optional: when sent and stale → 412.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag (revision) last read; stale → 412' })
  @ApiCreatedResponse({ type: ContactDetailView })
  @ApiUpdateErrors()
  async amend(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AmendContactDto,
    @Headers('idempotency-key') key: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const expected = ifMatch === undefined || ifMatch.trim() === '' ? undefined : parseIfMatch(ifMatch);
    const result = await this.contacts.amend(actor, id, dto, IdempotencyService.validKey(key), expected);
    return sendStored(reply, result, result.body.revision);
  }

  @Patch('contacts/:id')
  @Allow('contact:read')
  @ApiOperation({ summary: 'Not allowed: contacts are append-only (use POST /contacts/{id}/amendments)' })
  @ApiResponse({ status: 405, description: 'Contacts are append-only.', type: ProblemResponse })
  refusePatch(@Res({ passthrough: true }) reply: FastifyReply): never {
    return refuseChange(reply);
  }

  @Put('contacts/:id')
  @Allow('contact:read')
  @ApiOperation({ summary: 'Not allowed: contacts are append-only (use POST /contacts/{id}/amendments)' })
  @ApiResponse({ status: 405, description: 'Contacts are append-only.', type: ProblemResponse })
  refusePut(@Res({ passthrough: true }) reply: FastifyReply): never {
    return refuseChange(reply);
  }

  @Delete('contacts/:id')
  @Allow('contact:read')
  @ApiOperation({ summary: 'Not allowed: contacts are append-only and kept (真正性)' })
  @ApiResponse({ status: 405, description: 'Contacts are append-only.', type: ProblemResponse })
  refuseDelete(@Res({ passthrough: true }) reply: FastifyReply): never {
    return refuseChange(reply);
  }
}

function refuseChange(reply: FastifyReply): never {
  reply.header('allow', 'GET');
  throw new AppendOnly();
}
