import { DEMO_TABLE, DEMO_TTL_ATTRIBUTE, insertStep, removeStep, updateStep, type DemoStep } from './script.js';

interface Person {
  id: string;
  name: string;
}

interface User {
  person: Person;
  email: string;
  plan: string;
  city: string;
  tags: Set<string>;
  logins: number;
}

interface Session {
  userId: string;
  name: string;
  sk: string;
}

const PEOPLE: Person[] = [
  { id: 'grace', name: 'Grace Hopper' },
  { id: 'alan', name: 'Alan Turing' },
  { id: 'margaret', name: 'Margaret Hamilton' },
  { id: 'linus', name: 'Linus Torvalds' },
  { id: 'barbara', name: 'Barbara Liskov' },
  { id: 'edsger', name: 'Edsger Dijkstra' },
  { id: 'katherine', name: 'Katherine Johnson' },
  { id: 'dennis', name: 'Dennis Ritchie' },
  { id: 'radia', name: 'Radia Perlman' },
  { id: 'ken', name: 'Ken Thompson' },
];
const CITIES: Array<[string, string]> = [
  ['London', 'Europe/London'],
  ['New York', 'America/New_York'],
  ['Berlin', 'Europe/Berlin'],
  ['Tokyo', 'Asia/Tokyo'],
  ['Boston', 'America/New_York'],
  ['Helsinki', 'Europe/Helsinki'],
  ['San Francisco', 'America/Los_Angeles'],
];
const PLANS = ['free', 'pro', 'team'];
const TAGS = ['newsletter', 'beta', 'early-adopter', 'admin', 'mobile'];
const DEVICES = ['Firefox on macOS', 'Safari on iOS', 'Chrome on Windows', 'the Android app', 'Edge on Linux'];
const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.example', 'work.example'];

interface Action {
  weight: number;
  make(): DemoStep;
}

/**
 * An endless, plausible stream of changes for the interactive demo: people sign up, log in,
 * change plans, emails and tags, move, open sessions that expire, and now and then close their
 * account. It keeps a model of the table so every write changes something and meets its
 * condition; pass `random` (values in [0, 1)) for a repeatable sequence.
 */
export function* liveSteps(tableName: string = DEMO_TABLE, random: () => number = Math.random): Generator<DemoStep, never, undefined> {
  const users = new Map<string, User>();
  const sessions: Session[] = [];
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const keyOf = (user: User): DemoStep['key'] => ({ pk: `USER#${user.person.id}`, sk: 'PROFILE' });
  const first = (user: User | Person): string => ('person' in user ? user.person : user).name.split(' ')[0] ?? '';

  const signUp = (person: Person): DemoStep => {
    const [city, timezone] = pick(CITIES);
    const tags = new Set([pick(TAGS)]);
    const user: User = { person, email: `${person.id}@${EMAIL_DOMAINS[0]}`, plan: 'free', city, tags, logins: 0 };
    users.set(person.id, user);
    return insertStep(tableName, `${first(person)} signs up`, {
      ...keyOf(user),
      name: person.name,
      email: user.email,
      plan: user.plan,
      profile: { city, timezone },
      tags,
      loginCount: 0,
      createdAt: new Date().toISOString(),
    });
  };

  for (;;) {
    const all = [...users.values()];
    const user = all.length > 0 ? pick(all) : undefined;
    const newcomers = PEOPLE.filter((p) => !users.has(p.id));
    const actions: Action[] = [];
    if (newcomers.length > 0) {
      actions.push({ weight: users.size < 3 ? 6 : users.size < 6 ? 1 : 0.3, make: () => signUp(pick(newcomers)) });
    }
    if (user) {
      const key = keyOf(user);
      const name = first(user);
      actions.push({
        weight: 3,
        make: () => {
          user.logins += 1;
          return updateStep(tableName, `${name} logs in (login #${user.logins})`, key, 'SET loginCount = loginCount + :one, lastLoginAt = :now', {
            ':one': 1,
            ':now': new Date().toISOString(),
          });
        },
      });
      actions.push({
        weight: 1,
        make: () => {
          user.plan = pick(PLANS.filter((p) => p !== user.plan));
          return updateStep(tableName, `${name} switches to the ${user.plan} plan`, key, 'SET #plan = :plan', { ':plan': user.plan }, { '#plan': 'plan' });
        },
      });
      actions.push({
        weight: 1,
        make: () => {
          const domain = pick(EMAIL_DOMAINS.filter((d) => !user.email.endsWith(`@${d}`)));
          user.email = `${user.person.id}@${domain}`;
          return updateStep(tableName, `${name} changes email to ${user.email}`, key, 'SET email = :email', { ':email': user.email });
        },
      });
      actions.push({
        weight: 1,
        make: () => {
          const [city, timezone] = pick(CITIES.filter(([c]) => c !== user.city));
          user.city = city;
          return updateStep(tableName, `${name} moves to ${city} (profile.city)`, key, 'SET profile.city = :city, profile.#tz = :tz', {
            ':city': city,
            ':tz': timezone,
          }, { '#tz': 'timezone' });
        },
      });
      const missingTags = TAGS.filter((t) => !user.tags.has(t));
      if (missingTags.length > 0) {
        actions.push({
          weight: 1,
          make: () => {
            const tag = pick(missingTags);
            user.tags.add(tag);
            return updateStep(tableName, `${name} is tagged ${tag}`, key, 'ADD tags :tag', { ':tag': new Set([tag]) });
          },
        });
      }
      // Never empty the set: DynamoDB would drop the attribute, and ADD would have to recreate it.
      if (user.tags.size > 1) {
        actions.push({
          weight: 1,
          make: () => {
            const tag = pick([...user.tags]);
            user.tags.delete(tag);
            return updateStep(tableName, `${name} loses the tag ${tag}`, key, 'DELETE tags :tag', { ':tag': new Set([tag]) });
          },
        });
      }
      actions.push({
        weight: 2,
        make: () => {
          const session: Session = { userId: user.person.id, name, sk: `SESSION#${randomHex(random, 6)}` };
          sessions.push(session);
          const device = pick(DEVICES);
          const expiresAt = Math.floor(Date.now() / 1000) + 30 * 60;
          return insertStep(tableName, `${name} opens a session on ${device}`, {
            pk: `USER#${user.person.id}`,
            sk: session.sk,
            device,
            createdAt: new Date().toISOString(),
            [DEMO_TTL_ATTRIBUTE]: expiresAt,
          });
        },
      });
      // Only regulars leave, and never so many that the table empties.
      if (users.size > 4 && user.logins >= 2) {
        actions.push({
          weight: 0.4,
          make: () => {
            users.delete(user.person.id);
            return removeStep(tableName, `${name} closes the account (item deleted)`, key);
          },
        });
      }
    }
    if (sessions.length > 0) {
      actions.push({
        weight: sessions.length > 2 ? 3 : 1.5,
        make: () => {
          const session = sessions.splice(Math.floor(random() * sessions.length), 1)[0] as Session;
          return removeStep(tableName, `A session of ${session.name} expires (a TTL-like delete)`, { pk: `USER#${session.userId}`, sk: session.sk });
        },
      });
    }
    yield chooseWeighted(actions, random).make();
  }
}

function chooseWeighted(actions: Action[], random: () => number): Action {
  const total = actions.reduce((sum, a) => sum + a.weight, 0);
  let point = random() * total;
  for (const action of actions) {
    point -= action.weight;
    if (point < 0) return action;
  }
  return actions[actions.length - 1] as Action;
}

function randomHex(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(random() * 16).toString(16);
  return text;
}
