/**
 * RuleList draws a rule's card again only when that card's own props change: with hundreds of rules, a form edit
 * of one rule must not summarise every rule again. Counted through summarizeRule, which each card's drawing calls.
 */
import { mount, VueWrapper } from '@vue/test-utils';
import RuleList from '@pkg/components/parts/RuleList.vue';
import { summarizeRule } from '@pkg/components/summary';
import { PolicyRule } from '@pkg/policy';
import { createI18nStore } from '../support/store';

jest.mock('@pkg/components/summary', () => {
  const actual = jest.requireActual('@pkg/components/summary');

  return { ...actual, summarizeRule: jest.fn(actual.summarizeRule) };
});

const drawn = summarizeRule as jest.Mock;
const RULES: PolicyRule[] = Array.from({ length: 100 }, (_, i) => ({ level: 'Metadata', users: [`user-${ i }`] }));

interface ListProps {
  rules: PolicyRule[];
  selected: number | null;
  matched: number | null;
  invalid: number[];
  readOnly: boolean;
}

const START: ListProps = {
  rules: RULES, selected: 3, matched: null, invalid: [], readOnly: false
};

function mountList(): VueWrapper {
  return mount(RuleList, { props: { ...START }, global: { plugins: [createI18nStore('en-us')] } });
}

describe('RuleList: which cards are drawn again', () => {
  it.each<[string, number, Partial<ListProps>]>([
    ['a new list with the same rule objects', 0, { rules: [...RULES] }],
    ['one rule replaced (a form edit)', 1, { rules: RULES.map((r, i) => (i === 40 ? { ...r, level: 'None' } : r)) }],
    ['the selection moves', 2, { selected: 5 }],
    ['the test request matches a rule', 1, { matched: 7 }],
    ['a rule gets a field error', 1, { invalid: [9] }],
    ['a rule added at the end (the old last card can now move down)', 2, { rules: [...RULES, { level: 'None' }] }],
    ['read-only', 100, { readOnly: true }],
  ])('%s: %i cards drawn', async(_, cards, change) => {
    const w = mountList();

    drawn.mockClear();
    await w.setProps(change);
    expect(drawn).toHaveBeenCalledTimes(cards);
  });

  it('a redrawn card shows its new rule, the others keep theirs', async() => {
    const w = mountList();

    await w.setProps({ rules: RULES.map((r, i) => (i === 40 ? { ...r, users: ['changed-user'] } : r)) });
    expect(w.find('[data-testid="audit-rule-40"]').text()).toContain('changed-user');
    expect(w.find('[data-testid="audit-rule-41"]').text()).toContain('user-41');
  });
});
