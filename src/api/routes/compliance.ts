/**
 * The offer catalog and the ad compliance checker for the web UI's playground:
 * `GET /v1/catalog` lists products and channels; `POST /v1/compliance/check` checks a
 * hand-written text (38-FZ rules, channel limits, consent) and counts its SMS segments.
 */
import type { FastifyInstance } from 'fastify';
import { channelOf, loadConfiguredCatalog, productOf, type Catalog } from '../../offers/catalog.js';
import { smsInfo } from '../../offers/channel-limits.js';
import { checkOffer, isCompliant } from '../../offers/compliance/check.js';
import { ERROR_RESPONSES } from '../schemas.js';

const CODE = { type: 'string', pattern: '^[\\p{L}\\p{N}_.:-]{1,64}$' } as const;

const FINDING = {
  type: 'object',
  required: ['code', 'message', 'severity', 'citation'],
  properties: {
    code: { type: 'string' },
    span: {
      type: ['object', 'null'],
      properties: { part: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' } },
    },
    message: { type: 'string' },
    severity: { type: 'string', enum: ['error', 'warning'] },
    citation: { type: 'string' },
  },
} as const;

export function complianceRoutes(app: FastifyInstance): void {
  let catalog: Catalog | null = null;
  const current = (): Catalog => (catalog ??= loadConfiguredCatalog(app.apiConfig));

  app.get(
    '/v1/catalog',
    {
      config: { access: 'recommend' },
      schema: {
        summary: 'Products and channels of the offer catalog',
        tags: ['offers'],
        response: {
          200: {
            type: 'object',
            required: ['provider', 'products', 'channels'],
            properties: {
              provider: { type: 'string' },
              products: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'name', 'name_en', 'kind', 'credit'],
                  properties: {
                    code: { type: 'string' },
                    name: { type: 'string' },
                    name_en: { type: 'string' },
                    kind: { type: 'string' },
                    credit: { type: 'boolean' },
                  },
                },
              },
              channels: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'name', 'sms'],
                  properties: {
                    code: { type: 'string' },
                    name: { type: 'string' },
                    sms: { type: 'boolean' },
                  },
                },
              },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    () => {
      const c = current();
      return {
        provider: c.provider.name,
        products: c.products.map((p) => ({
          code: p.code,
          name: p.name,
          name_en: p.nameEn,
          kind: p.kind,
          credit: p.credit,
        })),
        channels: c.channels.map((ch) => ({ code: ch.code, name: ch.name, sms: ch.structure === 'sms' })),
      };
    },
  );

  app.post(
    '/v1/compliance/check',
    {
      config: { access: 'recommend' },
      schema: {
        summary: 'Check a hand-written ad text against the advertising rules and channel limits',
        tags: ['offers'],
        body: {
          type: 'object',
          required: ['text', 'product', 'channel'],
          additionalProperties: false,
          properties: {
            text: { type: 'string', maxLength: 20000 },
            title: { type: 'string', maxLength: 2000 },
            subject: { type: 'string', maxLength: 2000 },
            product: CODE,
            channel: CODE,
            locale: { type: 'string', enum: ['ru', 'en'] },
            consent: { type: 'boolean' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['compliant', 'findings', 'sms'],
            properties: {
              compliant: { type: 'boolean' },
              findings: { type: 'array', items: FINDING },
              sms: {
                type: ['object', 'null'],
                properties: {
                  encoding: { type: 'string' },
                  units: { type: 'integer' },
                  segments: { type: 'integer' },
                },
              },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    (request) => {
      const b = request.body as {
        text: string;
        title?: string;
        subject?: string;
        product: string;
        channel: string;
        locale?: 'ru' | 'en';
        consent?: boolean;
      };
      const c = current();
      const channel = channelOf(c, b.channel);
      const findings = checkOffer({
        text: b.text,
        title: b.title,
        subject: b.subject,
        product: productOf(c, b.product),
        channel,
        provider: c.provider,
        locale: b.locale,
        consent: b.consent,
      });
      return {
        compliant: isCompliant(findings),
        findings,
        sms: channel.structure === 'sms' ? smsInfo(b.text) : null,
      };
    },
  );
}
