"""芙蓉区 12345 政务热线月度通报: compute the bulletin's figures from work-order exports."""

__version__ = "0.1.0"
