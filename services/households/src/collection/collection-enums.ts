import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/** How a collection point (投放点) serves residents. */
export enum CollectionPointKind {
  /** Open in fixed windows (定时定点): residents bring sorted waste at set times. */
  REGULAR = 'REGULAR',
  /** Open around the clock for residents who missed the windows (24小时误时投放点). */
  LATE_DROP_OFF = 'LATE_DROP_OFF',
}

export const COLLECTION_POINT_KIND_LABEL_ZH: Record<CollectionPointKind, string> = {
  [CollectionPointKind.REGULAR]: '定时定点投放点',
  [CollectionPointKind.LATE_DROP_OFF]: '24小时误时投放点',
};

/** The four household waste streams of the sorting rules. */
export enum WasteStream {
  KITCHEN = 'KITCHEN',
  RECYCLABLE = 'RECYCLABLE',
  HAZARDOUS = 'HAZARDOUS',
  OTHER = 'OTHER',
}

export const WASTE_STREAM_LABEL_ZH: Record<WasteStream, string> = {
  [WasteStream.KITCHEN]: '厨余垃圾',
  [WasteStream.RECYCLABLE]: '可回收物',
  [WasteStream.HAZARDOUS]: '有害垃圾',
  [WasteStream.OTHER]: '其他垃圾',
};

/**
 * A door-to-door collection request (上门收运): REQUESTED → ACCEPTED → COMPLETED; CANCELLED by the requester or
 * staff before completion; REJECTED by staff, with a reason, before acceptance.
 */
export enum DoorToDoorCollectionStatus {
  REQUESTED = 'REQUESTED',
  ACCEPTED = 'ACCEPTED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  REJECTED = 'REJECTED',
}

export const DOOR_TO_DOOR_STATUS_LABEL_ZH: Record<DoorToDoorCollectionStatus, string> = {
  [DoorToDoorCollectionStatus.REQUESTED]: '已申请',
  [DoorToDoorCollectionStatus.ACCEPTED]: '已受理',
  [DoorToDoorCollectionStatus.COMPLETED]: '已收运',
  [DoorToDoorCollectionStatus.CANCELLED]: '已取消',
  [DoorToDoorCollectionStatus.REJECTED]: '已拒绝',
};

registerEnumType(CollectionPointKind, {
  name: 'CollectionPointKind',
  description: 'What kind of drop-off point: a regular point open at set times (定时定点), or a 24-hour late drop-off point (误时投放).',
  valuesMap: describedValues(COLLECTION_POINT_KIND_LABEL_ZH),
});
registerEnumType(WasteStream, {
  name: 'WasteStream',
  description: 'The four waste streams residents sort into (垃圾分类类别).',
  valuesMap: describedValues(WASTE_STREAM_LABEL_ZH),
});
registerEnumType(DoorToDoorCollectionStatus, {
  name: 'DoorToDoorCollectionStatus',
  description: 'Where a door-to-door collection request is (上门收运申请状态).',
  valuesMap: describedValues(DOOR_TO_DOOR_STATUS_LABEL_ZH),
});

/** Where a collected stream went (去向). */
export enum CollectionDestination {
  RECYCLING_PLANT = 'RECYCLING_PLANT',
  KITCHEN_TREATMENT = 'KITCHEN_TREATMENT',
  INCINERATION = 'INCINERATION',
  LANDFILL = 'LANDFILL',
  HAZARDOUS_TREATMENT = 'HAZARDOUS_TREATMENT',
}

export const COLLECTION_DESTINATION_LABEL_ZH: Record<CollectionDestination, string> = {
  [CollectionDestination.RECYCLING_PLANT]: '再生资源利用',
  [CollectionDestination.KITCHEN_TREATMENT]: '厨余处理',
  [CollectionDestination.INCINERATION]: '焚烧发电',
  [CollectionDestination.LANDFILL]: '填埋',
  [CollectionDestination.HAZARDOUS_TREATMENT]: '危废处置',
};

/** How a collection record came in. */
export enum CollectionRecordSource {
  MANUAL = 'MANUAL',
  IMPORT = 'IMPORT',
}

export const COLLECTION_RECORD_SOURCE_LABEL_ZH: Record<CollectionRecordSource, string> = {
  [CollectionRecordSource.MANUAL]: '手工录入',
  [CollectionRecordSource.IMPORT]: '文件导入',
};

registerEnumType(CollectionDestination, {
  name: 'CollectionDestination',
  description: 'Where collected waste went (收运去向): decides which rates it counts in.',
  valuesMap: describedValues(COLLECTION_DESTINATION_LABEL_ZH),
});
registerEnumType(CollectionRecordSource, {
  name: 'CollectionRecordSource',
  description: 'How a collection record came in (记录来源): entered by hand or imported from a file.',
  valuesMap: describedValues(COLLECTION_RECORD_SOURCE_LABEL_ZH),
});
