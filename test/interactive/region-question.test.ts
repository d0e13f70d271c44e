/**
 * Issue 13, item 8: the region question shows every region with its place
 * name (from src/data/regions.json, which names its source), speaks to any
 * Zappa user, and says the list can be filtered by typing.
 */
import {describe, expect, it} from 'vitest';
import regionData from '../../src/data/regions.json' with {type: 'json'};
import {aboutRegion} from '../../src/app/interactive/explain.js';
import {filterChoices, fitMessage} from '../../src/app/interactive/prompter.js';
import {placeOf, regionChoices} from '../../src/app/interactive/questions.js';
import {OTHER_REGIONS, RECOMMENDED_REGIONS} from '../../src/plan/regions.js';

describe('the region question', () => {
  it('names the place of every region it lists, from a data file that says where the names come from', () => {
    expect(regionData.source).toMatch(/docs\.aws\.amazon\.com\/global-infrastructure\/.*regions/);
    for (const region of [...RECOMMENDED_REGIONS.map((r) => r.region), ...OTHER_REGIONS]) expect(placeOf(region), region).toBeTruthy();
    const names = regionChoices('eu-west-1').map((c) => c.name);
    expect(names).toContain('eu-west-1       Europe (Ireland)  (recommended)');
    expect(names).toContain('sa-east-1       South America (São Paulo)');
    expect(names).toContain('ap-south-1      Asia Pacific (Mumbai)');
    // Each choice fits a 60-column terminal with Inquirer's cursor in front of it.
    for (const name of names) expect(name.length + 2, name).toBeLessThanOrEqual(60);
  });

  it('narrows the list to what is typed, by code or by place, and keeps the way out', () => {
    const choices = regionChoices('us-east-1');
    expect(filterChoices(choices, 'tokyo').map((c) => c.value)).toEqual(['ap-northeast-1', '(other)']);
    expect(filterChoices(choices, 'EU-WEST').map((c) => c.value)).toEqual(['eu-west-1', 'eu-west-2', 'eu-west-3', '(other)']);
    expect(filterChoices(choices, 'nowhere').map((c) => c.value)).toEqual(['(other)']);
    expect(filterChoices(choices, '')).toHaveLength(choices.length);
  });

  it('speaks to any Zappa user and says the list can be filtered by typing', () => {
    const text = aboutRegion().join(' ');
    expect(text).not.toMatch(/SecureX|Threat Response/);
    expect(text).toMatch(/Type part of a code or a place .* to filter the list/);
  });

  it('wraps a long question at spaces for Inquirer, which would otherwise break a word', () => {
    const message = 'Which stages of zappa_settings.json should deploy as this user?';
    const fitted = fitMessage(message, 40);
    expect(fitted.split('\n').every((l) => l.length <= 40 - 2)).toBe(true);
    expect(fitted.replace(/\n {2}/g, ' ')).toBe(message);
    expect(fitMessage('Region', 60)).toBe('Region');
  });
});
