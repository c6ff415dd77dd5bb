/** Texts of the History page and a one-line summary of a recorded request. */
import { defineMessages } from '../i18n';
import type { HistoryItem } from '../types';

export const HM = defineMessages({
  ru: {
    from: 'С даты',
    to: 'По дату',
    channel: 'Канал',
    product: 'Продукт',
    segment: 'Сегмент',
    outcome: 'Отметка',
    user: 'Пользователь',
    client: 'Клиент',
    route: 'Маршрут',
    any: 'любая',
    success: 'успех',
    failure: 'неудача',
    unmarked: 'без отметки',
    time: 'Время',
    summary: 'Содержание',
    status: 'Статус',
    latency: 'мс',
    feedback: 'Отметка',
    loadMore: 'Показать ещё',
    shown: 'Показано: {n}',
    countSuccess: 'успех: {n}',
    countFailure: 'неудача: {n}',
    countUnmarked: 'без отметки: {n}',
    selected: 'Выбрано: {n}',
    markSuccess: 'Отметить успехом',
    markFailure: 'Отметить неудачей',
    comment: 'Комментарий',
    marked: 'Отмечено: {n}',
    details: 'Запрос {id}',
    request: 'Запрос',
    answer: 'Ответ',
    marks: 'Отметки',
    noMarks: 'Отметок нет',
    mark: 'Отметить',
    model: 'Модель',
    selectAll: 'Выбрать все',
  },
  en: {
    from: 'From',
    to: 'To',
    channel: 'Channel',
    product: 'Product',
    segment: 'Segment',
    outcome: 'Mark',
    user: 'User',
    client: 'Client',
    route: 'Route',
    any: 'any',
    success: 'success',
    failure: 'failure',
    unmarked: 'unmarked',
    time: 'Time',
    summary: 'Summary',
    status: 'Status',
    latency: 'ms',
    feedback: 'Mark',
    loadMore: 'Load more',
    shown: 'Shown: {n}',
    countSuccess: 'success: {n}',
    countFailure: 'failure: {n}',
    countUnmarked: 'unmarked: {n}',
    selected: 'Selected: {n}',
    markSuccess: 'Mark as success',
    markFailure: 'Mark as failure',
    comment: 'Comment',
    marked: 'Marked: {n}',
    details: 'Request {id}',
    request: 'Request',
    answer: 'Answer',
    marks: 'Marks',
    noMarks: 'No marks yet',
    mark: 'Mark',
    model: 'Model',
    selectAll: 'Select all',
  },
});

/** The latest mark of an answer, or null. */
export function lastOutcome(item: HistoryItem): 'success' | 'failure' | null {
  return item.feedback.length > 0 ? item.feedback[item.feedback.length - 1].outcome : null;
}

function collect(value: unknown, key: string, out: Set<string>, depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 50)) collect(v, key, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === key && (typeof v === 'string' || typeof v === 'number')) out.add(String(v));
    else collect(v, key, out, depth + 1);
  }
}

/** Products, channels and segment named in a request and its answer, as one short line. */
export function summarize(item: HistoryItem): string {
  const products = new Set<string>();
  const channels = new Set<string>();
  collect(item.request, 'product', products);
  collect(item.answer, 'product', products);
  collect(item.request, 'channel', channels);
  const parts: string[] = [];
  if (products.size > 0) parts.push([...products].slice(0, 4).join(', ') + (products.size > 4 ? '…' : ''));
  if (channels.size > 0) parts.push([...channels].join(', '));
  const answer = item.answer as { segment?: unknown; name?: unknown } | null;
  if (answer && typeof answer === 'object' && typeof answer.segment === 'number')
    parts.push(`#${answer.segment} ${typeof answer.name === 'string' ? answer.name : ''}`.trim());
  return parts.join(' · ');
}
