import { describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { checkImportFile } from '../collection-import-file.js';
import { parseCollectionLimits } from '../collection-limits.js';

const POINT = '6f1c2b4e-8a7d-4c3b-9e2f-1a2b3c4d5e6f';
const HEADER = 'date,collection_point_id,stream,weight_kg,destination,vehicle,operator';

describe('checkImportFile', () => {
  it('reads rows by code or Chinese label and keeps the weight as written', () => {
    const { rows, errors } = checkImportFile(`${HEADER}\n2026-01-02,${POINT},厨余垃圾,12.5,KITCHEN_TREATMENT,浙B·1,\n`, 5000, '2026-01-02');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        day: '2026-01-02',
        collectionPointId: POINT,
        stream: 'KITCHEN',
        weightKg: '12.5',
        destination: 'KITCHEN_TREATMENT',
        vehicle: '浙B·1',
        operator: null,
      },
    ]);
  });

  it('names the line of a replacement character (invalid UTF-8) and reports nothing else', () => {
    const { errors } = checkImportFile(`${HEADER}\n2026-01-02,${POINT},OTHER,1,INCINERATION,\uFFFD,\n`, 5000, '2026-01-02');
    expect(errors).toEqual([expect.objectContaining({ line: 2, code: 'ENCODING' })]);
  });

  it('counts lines of quoted line breaks when naming errors, and skips blank lines', () => {
    const text = `${HEADER}\n2026-01-02,${POINT},OTHER,1,INCINERATION,,"a\nb"\n\n2026-01-02,${POINT},OTHER,x,INCINERATION,,\n`;
    expect(checkImportFile(text, 5000, '2026-01-02').errors).toEqual([
      expect.objectContaining({ line: 5, column: 'weight_kg', code: 'INVALID_WEIGHT' }),
    ]);
  });
});

describe('COLLECTION_MAX_KG_PER_POINT_DAY', () => {
  it('defaults to 5000 and refuses what is not a positive number', () => {
    expect(parseCollectionLimits({}).maxKgPerPointDay).toBe(5000);
    expect(parseCollectionLimits({ COLLECTION_MAX_KG_PER_POINT_DAY: '800' }).maxKgPerPointDay).toBe(800);
    expect(() => parseCollectionLimits({ COLLECTION_MAX_KG_PER_POINT_DAY: '-1' })).toThrow(EnvironmentError);
    expect(() => parseCollectionLimits({ COLLECTION_MAX_KG_PER_POINT_DAY: 'lots' })).toThrow('COLLECTION_MAX_KG_PER_POINT_DAY');
  });
});
